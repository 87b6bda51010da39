/** Importing exported Azure JSON files: `importPaths` reads them, `importDocuments` is the pure core. */
export {
  importDocuments,
  Importer,
  type ImportOptions,
  type InputDocument,
  type ImportOutcome,
} from './import-documents';
export { importPaths, listInputFiles, readInputFile, type InputFile } from './read-paths';
export { walkDocument, type WalkSink } from './shape';
export { parseJsonDocument } from './json';
