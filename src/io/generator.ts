// Who wrote a file: model.json's generatedBy / keras_version. src/index.ts
// cannot be imported from here (it imports us), so the version is repeated;
// test/io/save.test.ts checks that it equals wt.version.
export const WASMTENSOR_VERSION = '0.1.0';
