/**
 * An NSG-free example tree for the printer goldens (test/golden/bicep/): a storage account for
 * container logs with its blob service and one container, written the way a Bicep author would
 * (location as a parameter defaulting to resourceGroup().location, every param used, child
 * resources through `parent`, descriptions on params and outputs).
 */
import {
  arr,
  bool,
  call,
  decorator,
  description,
  int,
  interp,
  member,
  obj,
  props,
  ref,
  str,
  type BicepFile,
} from '../../../../src/render/bicep/syntax';

const resourceGroup = () => call('resourceGroup');

export const storageAccountExample: BicepFile = {
  statements: [
    {
      kind: 'metadata',
      name: 'description',
      value: str('A storage account for container logs (an example of the aciseg Bicep printer).'),
    },
    {
      kind: 'param',
      name: 'location',
      type: 'string',
      decorators: [description('Region of the storage account.')],
      defaultValue: member(resourceGroup(), 'location'),
    },
    {
      kind: 'param',
      name: 'namePrefix',
      type: 'string',
      decorators: [
        description('Prefix of the storage account name: lowercase letters and digits.'),
        decorator('minLength', int(3)),
        decorator('maxLength', int(11)),
      ],
    },
    {
      kind: 'param',
      name: 'skuName',
      type: 'string',
      decorators: [
        description('Redundancy of the account.'),
        decorator('allowed', arr(str('Standard_LRS'), str('Standard_ZRS'))),
      ],
      defaultValue: str('Standard_LRS'),
    },
    {
      kind: 'var',
      name: 'accountName',
      value: interp(ref('namePrefix'), call('uniqueString', member(resourceGroup(), 'id'))),
    },
    {
      kind: 'resource',
      comments: ['Logs of the container groups: HTTPS only, no public blob access.'],
      name: 'logs',
      type: 'Microsoft.Storage/storageAccounts',
      apiVersion: '2023-05-01',
      existing: false,
      body: props(
        ['name', ref('accountName')],
        ['location', ref('location')],
        ['sku', obj(['name', ref('skuName')])],
        ['kind', str('StorageV2')],
        [
          'properties',
          obj(
            ['minimumTlsVersion', str('TLS1_2')],
            ['allowBlobPublicAccess', bool(false)],
            ['supportsHttpsTrafficOnly', bool(true)],
          ),
        ],
      ),
    },
    {
      kind: 'resource',
      name: 'blobs',
      type: 'Microsoft.Storage/storageAccounts/blobServices',
      apiVersion: '2023-05-01',
      existing: false,
      parent: 'logs',
      body: props(['name', str('default')]),
    },
    {
      kind: 'resource',
      name: 'container',
      type: 'Microsoft.Storage/storageAccounts/blobServices/containers',
      apiVersion: '2023-05-01',
      existing: false,
      parent: 'blobs',
      body: props(['name', str('aci-logs')], ['properties', obj(['publicAccess', str('None')])]),
    },
    {
      kind: 'output',
      name: 'storageAccountId',
      type: 'string',
      decorators: [description('Resource ID of the storage account.')],
      value: member(ref('logs'), 'id'),
    },
    {
      kind: 'output',
      name: 'blobEndpoint',
      type: 'string',
      decorators: [description('Blob endpoint of the storage account.')],
      value: member(ref('logs'), 'properties', 'primaryEndpoints', 'blob'),
    },
  ],
};
