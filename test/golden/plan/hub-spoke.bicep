// Proof: FAILED. Do not deploy: see the failing flows with --format markdown or json.
// Deploy: az deployment group create --resource-group rg-app --template-file <this file>
metadata description = 'Least-privilege NSG rules proposed by aciseg plan; every rule says why it exists.'

// nsg-aci-api: the full custom rule set after the change (6 rules, 3 removed: AllowHubToApi, DenyHubToPaymentsAdmin, DenySshOutbound).
resource nsgAciApi 'Microsoft.Network/networkSecurityGroups@2025-05-01' = {
  name: 'nsg-aci-api'
  location: 'westeurope'
  properties: {
    securityRules: [
      // observed 132 flows (264 tuples) 2026-11-30T09:00:10.181Z – 2026-11-30T10:58:59.576Z
      // intent require web-to-api: the storefront calls the order API
      // existing rule AllowWebToApi kept as it is
      {
        name: 'AllowWebToApi'
        properties: {
          description: 'Web tier calls the order and payment APIs'
          priority: 100
          direction: 'Inbound'
          access: 'Allow'
          protocol: 'Tcp'
          sourceAddressPrefix: '10.1.1.0/24'
          sourcePortRange: '*'
          destinationAddressPrefix: '10.1.2.0/24'
          destinationPortRange: '8443'
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
      // observed 24 flows (48 tuples) 2026-11-30T09:06:01.053Z – 2026-11-30T10:52:55.703Z
      // existing rule AllowSqlToData kept as it is
      {
        name: 'AllowSqlToData'
        properties: {
          priority: 100
          direction: 'Outbound'
          access: 'Allow'
          protocol: 'Tcp'
          sourceAddressPrefix: '10.1.2.0/24'
          sourcePortRange: '*'
          destinationAddressPrefix: '10.1.3.0/24'
          destinationPortRange: '1433'
        }
      }
      // platform: container groups resolve names through Azure DNS at 168.63.129.16 (UDP and TCP 53)
      // observed 144 flows (288 tuples) 2026-11-30T09:00:09.025Z – 2026-11-30T10:58:18.214Z
      {
        name: 'allow-to-azure-dns-any-53'
        properties: {
          description: 'platform: Azure DNS; observed 144 flows 2026-11-30..2026-11-30'
          priority: 110
          direction: 'Outbound'
          access: 'Allow'
          protocol: '*'
          sourceAddressPrefix: '10.1.2.0/24'
          sourcePortRange: '*'
          destinationAddressPrefix: '168.63.129.16/32'
          destinationPortRange: '53'
        }
      }
      // observed 48 flows (96 tuples) 2026-11-30T09:01:14.091Z – 2026-11-30T10:58:28.779Z
      {
        name: 'allow-to-snet-aci-web-tcp-8080'
        properties: {
          description: 'observed 48 flows 2026-11-30..2026-11-30'
          priority: 120
          direction: 'Outbound'
          access: 'Allow'
          protocol: 'Tcp'
          sourceAddressPrefix: '10.1.2.0/24'
          sourcePortRange: '*'
          destinationAddressPrefix: '10.1.1.0/24'
          destinationPortRange: '8080'
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

// nsg-aci-web: the full custom rule set after the change (7 rules, 2 removed: AllowSshFromInternet, AllowVnetHighPorts).
resource nsgAciWeb 'Microsoft.Network/networkSecurityGroups@2025-05-01' = {
  name: 'nsg-aci-web'
  location: 'westeurope'
  properties: {
    securityRules: [
      // observed 168 flows (336 tuples) 2026-11-30T09:00:08.497Z – 2026-11-30T10:57:59.623Z
      // intent require appgw-to-web: the application gateway fronts the web tier
      // existing rule AllowAppGatewayToWeb kept as it is
      {
        name: 'AllowAppGatewayToWeb'
        properties: {
          description: 'App Gateway backend pool'
          priority: 110
          direction: 'Inbound'
          access: 'Allow'
          protocol: 'Tcp'
          sourceAddressPrefix: '10.100.1.0/24'
          sourcePortRange: '*'
          destinationAddressPrefix: '10.1.1.0/24'
          destinationPortRanges: [
            '80'
            '443'
          ]
        }
      }
      // observed 48 flows (96 tuples) 2026-11-30T09:01:14.091Z – 2026-11-30T10:58:28.779Z
      // existing rule AllowApiCallbacks kept as it is
      {
        name: 'AllowApiCallbacks'
        properties: {
          description: 'Order status callbacks from the API tier'
          priority: 210
          direction: 'Inbound'
          access: 'Allow'
          protocol: 'Tcp'
          sourceAddressPrefix: '10.1.2.0/24'
          sourcePortRange: '*'
          destinationAddressPrefix: '10.1.1.0/24'
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
      // observed 60 flows (120 tuples) 2026-11-30T09:03:20.533Z – 2026-11-30T10:58:14.086Z
      {
        name: 'AllowHttpsOut'
        properties: {
          description: 'observed 60 flows 2026-11-30..2026-11-30'
          priority: 100
          direction: 'Outbound'
          access: 'Allow'
          protocol: 'Tcp'
          sourceAddressPrefix: '10.1.1.0/24'
          sourcePortRange: '*'
          destinationAddressPrefixes: [
            '20.38.101.25/32'
            '52.239.140.10/32'
          ]
          destinationPortRange: '443'
        }
      }
      // platform: container groups resolve names through Azure DNS at 168.63.129.16 (UDP and TCP 53)
      // observed 144 flows (288 tuples) 2026-11-30T09:00:48.779Z – 2026-11-30T10:58:59.430Z
      {
        name: 'allow-to-azure-dns-any-53'
        properties: {
          description: 'platform: Azure DNS; observed 144 flows 2026-11-30..2026-11-30'
          priority: 110
          direction: 'Outbound'
          access: 'Allow'
          protocol: '*'
          sourceAddressPrefix: '10.1.1.0/24'
          sourcePortRange: '*'
          destinationAddressPrefix: '168.63.129.16/32'
          destinationPortRange: '53'
        }
      }
      // observed 132 flows (264 tuples) 2026-11-30T09:00:10.181Z – 2026-11-30T10:58:59.576Z
      // intent require web-to-api: the storefront calls the order API
      {
        name: 'allow-to-snet-aci-api-tcp-8443'
        properties: {
          description: 'observed 132 flows 2026-11-30..2026-11-30; intent web-to-api'
          priority: 120
          direction: 'Outbound'
          access: 'Allow'
          protocol: 'Tcp'
          sourceAddressPrefix: '10.1.1.0/24'
          sourcePortRange: '*'
          destinationAddressPrefix: '10.1.2.0/24'
          destinationPortRange: '8443'
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
