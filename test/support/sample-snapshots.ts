/**
 * Builder-made snapshots shaped like the bundled samples, for tests that need a realistic estate
 * without reading files. `hubSpokeSnapshot()` mirrors samples/hub-spoke (the import of that
 * directory is checked against its own golden in test/unit/samples.test.ts).
 */
import type { Snapshot } from '../../src/model/snapshot';
import { diagnostic } from '../../src/diagnostics';
import {
  ACI_DELEGATION,
  makeContainer,
  makeContainerGroup,
  makeNsg,
  makePeering,
  makeRoute,
  makeRouteTable,
  makeRule,
  makeSnapshot,
  makeSubnet,
  makeVnet,
} from './builders';

/** The fake subscription of the hub-spoke sample. */
export const HUB_SPOKE_SUBSCRIPTION = '00000000-0000-0000-0000-0000000000a1';

/** Returns a hub-and-spoke estate: hub with firewall and App Gateway subnets, spoke with two ACI subnets, one public group. */
export function hubSpokeSnapshot(): Snapshot {
  const hubPlace = { subscriptionId: HUB_SPOKE_SUBSCRIPTION, resourceGroup: 'rg-hub' };
  const appPlace = { subscriptionId: HUB_SPOKE_SUBSCRIPTION, resourceGroup: 'rg-app' };
  const hub = makeVnet({ name: 'vnet-hub', addressPrefixes: ['10.100.0.0/16'], ...hubPlace });
  const app = makeVnet({ name: 'vnet-app', addressPrefixes: ['10.1.0.0/16'], ...appPlace });

  const nsgAppgw = makeNsg({
    name: 'nsg-appgw',
    ...hubPlace,
    rules: [
      makeRule({
        name: 'AllowGatewayManager',
        priority: 100,
        source: 'GatewayManager',
        destinationPorts: '65200-65535',
      }),
      makeRule({ name: 'AllowAzureLoadBalancer', priority: 110, protocol: '*', source: 'AzureLoadBalancer' }),
      makeRule({
        name: 'AllowWebFromInternet',
        priority: 120,
        source: 'Internet',
        destinationPorts: ['443', '80'],
      }),
    ],
  });
  const nsgWeb = makeNsg({
    name: 'nsg-aci-web',
    ...appPlace,
    rules: [
      makeRule({ name: 'AllowSshFromInternet', priority: 100, source: 'Internet', destinationPorts: '22' }),
      makeRule({
        name: 'AllowAppGatewayToWeb',
        priority: 110,
        source: '10.100.1.0/24',
        destination: '10.1.1.0/24',
        destinationPorts: ['443', '80'],
      }),
      makeRule({
        name: 'AllowVnetHighPorts',
        priority: 200,
        source: 'VirtualNetwork',
        destinationPorts: '8000-9000',
      }),
      makeRule({
        name: 'AllowApiCallbacks',
        priority: 210,
        source: '10.1.2.0/24',
        destination: '10.1.1.0/24',
        destinationPorts: '8080',
      }),
      makeRule({
        name: 'AllowHttpsOut',
        priority: 100,
        direction: 'Outbound',
        source: '10.1.1.0/24',
        destination: 'Internet',
        destinationPorts: '443',
      }),
    ],
  });
  const nsgApi = makeNsg({
    name: 'nsg-aci-api',
    ...appPlace,
    rules: [
      makeRule({
        name: 'AllowWebToApi',
        priority: 100,
        source: '10.1.1.0/24',
        destination: '10.1.2.0/24',
        destinationPorts: '8443',
      }),
      makeRule({
        name: 'AllowHubToApi',
        priority: 200,
        source: '10.100.0.0/16',
        destination: '10.1.2.0/24',
        destinationPorts: '8000-9999',
      }),
      makeRule({
        name: 'DenyHubToPaymentsAdmin',
        priority: 300,
        access: 'Deny',
        source: '10.100.0.0/16',
        destination: '10.1.2.5/32',
        destinationPorts: '9090',
      }),
      makeRule({
        name: 'AllowSqlToData',
        priority: 100,
        direction: 'Outbound',
        source: '10.1.2.0/24',
        destination: '10.1.3.0/24',
        destinationPorts: '1433',
      }),
      makeRule({
        name: 'DenySshOutbound',
        priority: 4000,
        direction: 'Outbound',
        access: 'Deny',
        destinationPorts: '22',
      }),
    ],
  });
  const rt = makeRouteTable({
    name: 'rt-spoke-egress',
    ...appPlace,
    disableBgpRoutePropagation: true,
    routes: [makeRoute('default-to-firewall', '0.0.0.0/0', 'VirtualAppliance', '10.100.0.4')],
  });

  const firewallSubnet = makeSubnet(hub, { name: 'AzureFirewallSubnet', addressPrefixes: ['10.100.0.0/26'] });
  const appgwSubnet = makeSubnet(hub, {
    name: 'snet-appgw',
    addressPrefixes: ['10.100.1.0/24'],
    nsg: nsgAppgw,
  });
  const gatewaySubnet = makeSubnet(hub, { name: 'GatewaySubnet', addressPrefixes: ['10.100.255.0/27'] });
  const webSubnet = makeSubnet(app, {
    name: 'snet-aci-web',
    addressPrefixes: ['10.1.1.0/24'],
    nsg: nsgWeb,
    routeTable: rt,
    delegations: [ACI_DELEGATION],
  });
  const apiSubnet = makeSubnet(app, {
    name: 'snet-aci-api',
    addressPrefixes: ['10.1.2.0/24'],
    nsg: nsgApi,
    routeTable: rt,
    delegations: [ACI_DELEGATION],
  });
  const dataSubnet = makeSubnet(app, { name: 'snet-data', addressPrefixes: ['10.1.3.0/24'] });

  const registry = 'crcontososhop.azurecr.io';
  const groups = [
    makeContainerGroup({
      name: 'web-frontend',
      ...appPlace,
      subnet: webSubnet,
      ip: '10.1.1.4',
      ports: [80, 443],
      containers: [
        makeContainer({
          name: 'frontend',
          image: `${registry}/shop/frontend:2.14.1`,
          ports: [80, 443],
          environmentVariableNames: ['LOG_LEVEL', 'TLS_CERT_PASSWORD'],
        }),
        makeContainer({ name: 'otel-collector', image: 'otel/opentelemetry-collector:0.98.0', ports: [] }),
      ],
    }),
    makeContainerGroup({
      name: 'web-worker',
      ...appPlace,
      subnet: webSubnet,
      ip: '10.1.1.5',
      ports: [8080],
      containers: [makeContainer({ name: 'worker', image: `${registry}/shop/worker:2.14.1`, ports: [8080] })],
    }),
    makeContainerGroup({
      name: 'api-orders',
      ...appPlace,
      subnet: apiSubnet,
      ip: '10.1.2.4',
      ports: [8443],
      containers: [makeContainer({ name: 'orders', image: `${registry}/shop/orders:1.9.0`, ports: [8443] })],
    }),
    makeContainerGroup({
      name: 'api-payments',
      ...appPlace,
      subnet: apiSubnet,
      ip: '10.1.2.5',
      ports: [8443, 9090],
      containers: [
        makeContainer({
          name: 'payments',
          image: `${registry}/shop/payments:3.2.4`,
          ports: [8443, 9090],
          environmentVariableNames: ['LOG_LEVEL', 'PAYMENT_PROVIDER_KEY'],
        }),
      ],
    }),
    // Named like the Internet tag on purpose: `Internet` still means the tag (a RESERVED_NAME warning).
    makeContainerGroup({
      name: 'internet',
      ...appPlace,
      subnet: apiSubnet,
      ip: '10.1.2.6',
      ports: [3128],
      containers: [
        makeContainer({
          name: 'squid',
          image: `${registry}/infra/squid:6.6`,
          ports: [3128],
          environmentVariableNames: ['LOG_LEVEL'],
        }),
      ],
    }),
    makeContainerGroup({
      name: 'status-page',
      ...appPlace,
      ip: '20.50.60.70',
      ports: [80],
      dnsNameLabel: 'contoso-status',
      fqdn: 'contoso-status.westeurope.azurecontainer.io',
      containers: [makeContainer({ name: 'status', image: 'nginx:1.27-alpine', ports: [80] })],
    }),
  ];

  return makeSnapshot({
    virtualNetworks: [app, hub],
    subnets: [webSubnet, apiSubnet, dataSubnet, appgwSubnet, firewallSubnet, gatewaySubnet],
    virtualNetworkPeerings: [
      makePeering(app, hub, { name: 'peer-app-to-hub', allowForwardedTraffic: true }),
      makePeering(hub, app, { name: 'peer-hub-to-app', allowForwardedTraffic: true }),
    ],
    networkSecurityGroups: [nsgApi, nsgWeb, nsgAppgw],
    routeTables: [rt],
    containerGroups: groups,
    diagnostics: [
      diagnostic(
        'RESERVED_NAME',
        'container group "internet" is named like the tag Internet: as an endpoint "internet" means the tag; reach this container group by its resource ID or cg:internet',
        'samples/hub-spoke/container-groups.json',
        '$.value[4].name',
      ),
    ],
  });
}
