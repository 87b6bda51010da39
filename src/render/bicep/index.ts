/** The Bicep syntax tree and its printer (knows nothing about NSGs); ../arm prints the same tree as ARM JSON. */
export * from './syntax';
export { printBicep, bicepString, escapeBicepText } from './print';
export { canonicalize } from './canonical';
export { isIdentifier, toIdentifier } from './names';
