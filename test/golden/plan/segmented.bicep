// Proof: ok (every required flow allowed, nothing newly allowed, every forbid entry denied).
// Deploy: az deployment group create --resource-group rg-shop-prod --template-file <this file>
metadata description = 'Least-privilege NSG rules proposed by aciseg plan; every rule says why it exists.'

// nsg-shop-backend: the full custom rule set after the change (4 rules, 2 removed: AllowStorage, AllowAzureMonitor).
resource nsgShopBackend 'Microsoft.Network/networkSecurityGroups@2025-05-01' = {
  name: 'nsg-shop-backend'
  location: 'northeurope'
  properties: {
    securityRules: [
      // intent require frontend-to-backend
      // existing rule AllowFrontendToBackend kept as it is
      {
        name: 'AllowFrontendToBackend'
        properties: {
          priority: 100
          direction: 'Inbound'
          access: 'Allow'
          protocol: 'Tcp'
          sourceAddressPrefix: '10.20.1.0/24'
          sourcePortRange: '*'
          destinationAddressPrefix: '10.20.2.0/24'
          destinationPortRange: '8443'
        }
      }
      // default-deny: neutralises AllowVnetInBound and AllowAzureLoadBalancerInBound, so only the rules above allow inbound traffic (written with * because VirtualNetwork can mean every address)
      // existing rule DenyAllInboundCustom kept as it is
      {
        name: 'DenyAllInboundCustom'
        properties: {
          description: 'Overrides AllowVnetInBound: only the flows above'
          priority: 4000
          direction: 'Inbound'
          access: 'Deny'
          protocol: '*'
          sourceAddressPrefix: '*'
          sourcePortRange: '*'
          destinationAddressPrefix: '*'
          destinationPortRange: '*'
        }
      }
      // intent require backend-to-payment-provider
      {
        name: 'AllowPaymentProvider'
        properties: {
          description: 'intent backend-to-payment-provider'
          priority: 120
          direction: 'Outbound'
          access: 'Allow'
          protocol: 'Tcp'
          sourceAddressPrefix: '10.20.2.0/24'
          sourcePortRange: '*'
          destinationAddressPrefix: '198.51.100.10/32'
          destinationPortRange: '443'
        }
      }
      // default-deny: neutralises AllowVnetOutBound and AllowInternetOutBound, so only the rules above allow outbound traffic (written with * because VirtualNetwork can mean every address)
      // existing rule DenyAllOutboundCustom kept as it is
      {
        name: 'DenyAllOutboundCustom'
        properties: {
          description: 'Overrides AllowVnetOutBound and AllowInternetOutBound'
          priority: 4000
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

// nsg-shop-frontend: the full custom rule set after the change (4 rules, 1 removed: AllowAzureMonitor).
resource nsgShopFrontend 'Microsoft.Network/networkSecurityGroups@2025-05-01' = {
  name: 'nsg-shop-frontend'
  location: 'northeurope'
  properties: {
    securityRules: [
      // intent require ingress-to-frontend: the application gateway forwards to the frontend
      // existing rule AllowIngressToFrontend kept as it is
      {
        name: 'AllowIngressToFrontend'
        properties: {
          description: 'App Gateway backend pool'
          priority: 100
          direction: 'Inbound'
          access: 'Allow'
          protocol: 'Tcp'
          sourceAddressPrefix: '10.20.0.0/24'
          sourcePortRange: '*'
          destinationAddressPrefix: '10.20.1.0/24'
          destinationPortRange: '8080'
        }
      }
      // default-deny: neutralises AllowVnetInBound and AllowAzureLoadBalancerInBound, so only the rules above allow inbound traffic (written with * because VirtualNetwork can mean every address)
      // existing rule DenyAllInboundCustom kept as it is
      {
        name: 'DenyAllInboundCustom'
        properties: {
          description: 'Overrides AllowVnetInBound: only the flows above'
          priority: 4000
          direction: 'Inbound'
          access: 'Deny'
          protocol: '*'
          sourceAddressPrefix: '*'
          sourcePortRange: '*'
          destinationAddressPrefix: '*'
          destinationPortRange: '*'
        }
      }
      // intent require frontend-to-backend
      // existing rule AllowFrontendToBackend kept as it is
      {
        name: 'AllowFrontendToBackend'
        properties: {
          priority: 100
          direction: 'Outbound'
          access: 'Allow'
          protocol: 'Tcp'
          sourceAddressPrefix: '10.20.1.0/24'
          sourcePortRange: '*'
          destinationAddressPrefix: '10.20.2.0/24'
          destinationPortRange: '8443'
        }
      }
      // default-deny: neutralises AllowVnetOutBound and AllowInternetOutBound, so only the rules above allow outbound traffic (written with * because VirtualNetwork can mean every address)
      // existing rule DenyAllOutboundCustom kept as it is
      {
        name: 'DenyAllOutboundCustom'
        properties: {
          description: 'Overrides AllowVnetOutBound and AllowInternetOutBound'
          priority: 4000
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
