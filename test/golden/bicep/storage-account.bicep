metadata description = 'A storage account for container logs (an example of the aciseg Bicep printer).'

@description('Region of the storage account.')
param location string = resourceGroup().location

@description('Prefix of the storage account name: lowercase letters and digits.')
@minLength(3)
@maxLength(11)
param namePrefix string

@description('Redundancy of the account.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
])
param skuName string = 'Standard_LRS'

var accountName = '${namePrefix}${uniqueString(resourceGroup().id)}'

// Logs of the container groups: HTTPS only, no public blob access.
resource logs 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: accountName
  location: location
  sku: {
    name: skuName
  }
  kind: 'StorageV2'
  properties: {
    minimumTlsVersion: 'TLS1_2'
    allowBlobPublicAccess: false
    supportsHttpsTrafficOnly: true
  }
}

resource blobs 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: logs
  name: 'default'
}

resource container 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobs
  name: 'aci-logs'
  properties: {
    publicAccess: 'None'
  }
}

@description('Resource ID of the storage account.')
output storageAccountId string = logs.id

@description('Blob endpoint of the storage account.')
output blobEndpoint string = logs.properties.primaryEndpoints.blob
