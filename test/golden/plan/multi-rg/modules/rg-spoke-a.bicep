// Proof: ok (every required flow allowed, nothing newly allowed, every forbid entry denied).
// Deploy: az deployment group create --resource-group rg-spoke-a --template-file <this file>
metadata description = 'Least-privilege NSG rules proposed by aciseg plan; every rule says why it exists.'

// nsg-a: the full custom rule set after the change (5 rules, 1 removed: ssh-from-internet).
resource nsgA 'Microsoft.Network/networkSecurityGroups@2025-05-01' = {
  name: 'nsg-a'
  location: 'westeurope'
  properties: {
    securityRules: [
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
          sourceAddressPrefix: '10.1.1.0/24'
          sourcePortRange: '*'
          destinationAddressPrefix: '168.63.129.16/32'
          destinationPortRange: '53'
        }
      }
      // intent require web-to-api: the storefront calls the order API
      {
        name: 'allow-to-snet-b-tcp-8080'
        properties: {
          description: 'intent web-to-api'
          priority: 110
          direction: 'Outbound'
          access: 'Allow'
          protocol: 'Tcp'
          sourceAddressPrefix: '10.1.1.0/24'
          sourcePortRange: '*'
          destinationAddressPrefix: '10.2.1.0/24'
          destinationPortRange: '8080'
        }
      }
      // intent require web-to-db
      {
        name: 'allow-to-snet-c-tcp-5432'
        properties: {
          description: 'intent web-to-db'
          priority: 120
          direction: 'Outbound'
          access: 'Allow'
          protocol: 'Tcp'
          sourceAddressPrefix: '10.1.1.0/24'
          sourcePortRange: '*'
          destinationAddressPrefix: '10.3.1.0/24'
          destinationPortRange: '5432'
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
