/**
 * The words an endpoint (`--from`, `--to`, intent `from` / `to`) reads as a tag, lower-cased, with the
 * tag's own spelling. They are reserved (docs/semantics.md decision 4): a resource with such a name is reached
 * by its resource ID or a qualified form, never by the bare word.
 */
export const RESERVED_TAG_WORDS: ReadonlyMap<string, string> = new Map([
  ['internet', 'Internet'],
  ['virtualnetwork', 'VirtualNetwork'],
  ['azureloadbalancer', 'AzureLoadBalancer'],
  ['*', '*'],
]);
