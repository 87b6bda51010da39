// Proof: ok (every required flow allowed, nothing newly allowed, every forbid entry denied).
// Deploy: az deployment group create --resource-group rg-spoke-c --template-file <this file>
metadata description = 'Least-privilege NSG rules proposed by aciseg plan; every rule says why it exists.'

// nsg-c: the full custom rule set after the change (4 rules, 0 removed: none).
resource nsgC 'Microsoft.Network/networkSecurityGroups@2025-05-01' = {
  name: 'nsg-c'
  location: 'westeurope'
  properties: {
    securityRules: [
      // intent require web-to-db
      {
        name: 'allow-from-snet-a-tcp-5432'
        properties: {
          description: 'intent web-to-db'
          priority: 100
          direction: 'Inbound'
          access: 'Allow'
          protocol: 'Tcp'
          sourceAddressPrefix: '10.1.1.0/24'
          sourcePortRange: '*'
          destinationAddressPrefix: '10.3.1.0/24'
          destinationPortRange: '5432'
        }
      }
      // default-deny: neutralises AllowVnetInBound and AllowAzureLoadBalancerInBound, so only the rules above allow inbound traffic (written with * because VirtualNetwork can mean every address)
      {
        name: 'deny-other-inbound'
        properties: {
          description: 'closes what the default rules allow'
          priority: 4096
          direction: 'Inbound'
          access: 'Deny'
          protocol: '*'
          sourceAddressPrefix: '*'
          sourcePortRange: '*'
          destinationAddressPrefix: '*'
          destinationPortRange: '*'
        }
      }
      // platform: container groups resolve names through Azure DNS at 168.63.129.16 (UDP and TCP 53)
      {
        name: 'allow-to-azure-dns-any-53'
        properties: {
          description: 'platform: Azure DNS'
          priority: 100
          direction: 'Outbound'
          access: 'Allow'
          protocol: '*'
          sourceAddressPrefix: '10.3.1.0/24'
          sourcePortRange: '*'
          destinationAddressPrefix: '168.63.129.16/32'
          destinationPortRange: '53'
        }
      }
      // default-deny: neutralises AllowVnetOutBound and AllowInternetOutBound, so only the rules above allow outbound traffic (written with * because VirtualNetwork can mean every address)
      {
        name: 'deny-other-outbound'
        properties: {
          description: 'closes what the default rules allow'
          priority: 4096
          direction: 'Outbound'
          access: 'Deny'
          protocol: '*'
          sourceAddressPrefix: '*'
          sourcePortRange: '*'
          destinationAddressPrefix: '*'
          destinationPortRange: '*'
        }
      }
    ]
  }
}
