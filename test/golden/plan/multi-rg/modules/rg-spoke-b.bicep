// Proof: ok (every required flow allowed, nothing newly allowed, every forbid entry denied).
// Deploy: az deployment group create --resource-group rg-spoke-b --template-file <this file>
metadata description = 'Least-privilege NSG rules proposed by aciseg plan; every rule says why it exists.'

@description('Region of the new NSGs: it must be the region of the virtual network of their subnets (northeurope).')
param location string = 'northeurope'

// New NSG nsg-snet-b for vnet-b/snet-b (none is attached today).
// Association (a separate step, after this deployment): attach the NSG to its subnet without
// restating the subnet; a subnet declared here would replace every property this file does not
// know (service endpoints, policies, …). For example:
//   az network vnet subnet update --resource-group rg-spoke-b --vnet-name vnet-b --name snet-b --network-security-group nsg-snet-b
resource nsgSnetB 'Microsoft.Network/networkSecurityGroups@2025-05-01' = {
  name: 'nsg-snet-b'
  location: location
  properties: {
    securityRules: [
      // intent require web-to-api: the storefront calls the order API
      {
        name: 'allow-from-snet-a-tcp-8080'
        properties: {
          description: 'intent web-to-api'
          priority: 100
          direction: 'Inbound'
          access: 'Allow'
          protocol: 'Tcp'
          sourceAddressPrefix: '10.1.1.0/24'
          sourcePortRange: '*'
          destinationAddressPrefix: '10.2.1.0/24'
          destinationPortRange: '8080'
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
          sourceAddressPrefix: '10.2.1.0/24'
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
