/**
 * Benchmark controls the pack maps its rules to. MCSB: the Microsoft cloud security benchmark v1
 * network security controls the Azure security baseline for Container Instances cites (NS-1
 * segmentation boundaries: virtual network integration and NSGs; NS-2 secure cloud services with
 * network controls: public network access); NS-3 (edge firewall, egress) where a rule is about egress.
 * CIS: CIS Microsoft Azure Foundations Benchmark v2.0.0, section 6 (networking): 6.1 RDP, 6.2 SSH,
 * 6.3 UDP and 6.4 HTTP(S) access from the Internet evaluated and restricted (v3.0.0 numbers them
 * 7.1-7.4 and v4.0.0 8.1-8.4).
 */
export const CIS_INTERNET_ACCESS = ['6.1', '6.2', '6.3', '6.4'];
