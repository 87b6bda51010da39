// Proof: ok (every required flow allowed, nothing newly allowed, every forbid entry denied).
// The NSGs are in 3 resource groups of 2 subscriptions: one deployment per group, each
// naming its subscription and group (they must exist; the deploying identity needs rights in each).
// The --location of the deploy command only says where Azure keeps the deployment record.
targetScope = 'subscription'

metadata description = 'Least-privilege NSG rules proposed by aciseg plan; every rule says why it exists.'

metadata deploy = 'az deployment sub create --location westeurope --template-file main.bicep'

// 00000000-0000-0000-0000-000000000001/rg-spoke-a: nsg-a.
module rgSpokeA 'modules/rg-spoke-a.bicep' = {
  scope: resourceGroup('00000000-0000-0000-0000-000000000001', 'rg-spoke-a')
  name: 'aciseg-plan-rg-spoke-a'
}

// 00000000-0000-0000-0000-000000000001/rg-spoke-b: nsg-snet-b (new).
module rgSpokeB 'modules/rg-spoke-b.bicep' = {
  scope: resourceGroup('00000000-0000-0000-0000-000000000001', 'rg-spoke-b')
  name: 'aciseg-plan-rg-spoke-b'
  params: {
    location: 'northeurope'
  }
}

// 00000000-0000-0000-0000-000000000002/rg-spoke-c: nsg-c.
module rgSpokeC 'modules/rg-spoke-c.bicep' = {
  scope: resourceGroup('00000000-0000-0000-0000-000000000002', 'rg-spoke-c')
  name: 'aciseg-plan-rg-spoke-c'
}
