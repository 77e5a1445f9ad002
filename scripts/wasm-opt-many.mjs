// Optimises WebAssembly modules in place with one Binaryen instance: what `wasm-opt LEVEL FILE`
// does for each FILE (the same default pipeline, features and levels, no names section), in one
// process. The npm binaryen that setup.sh installs is Binaryen compiled to WebAssembly: its
// `wasm-opt` command takes about 2 s to start, which over the hundreds of chunks wasm-split
// writes took twelve minutes of every site build.
//   node scripts/wasm-opt-many.mjs BINARYEN_DIR -Oz|-Os|-O3 FILE...
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [dir, level, ...files] = process.argv.slice(2);
const levels = { '-O3': [3, 0], '-Os': [2, 1], '-Oz': [2, 2] };
if (!dir || !levels[level]) {
  console.error('usage: wasm-opt-many.mjs BINARYEN_DIR -Oz|-Os|-O3 FILE...');
  process.exit(2);
}
const { default: binaryen } = await import(pathToFileURL(`${dir}/index.js`).href);
const [optimize, shrink] = levels[level];
binaryen.setOptimizeLevel(optimize);
binaryen.setShrinkLevel(shrink);
binaryen.setDebugInfo(false);
// wasm-opt writes an optimised module through optimised Stack IR.
binaryen.setGenerateStackIR(true);
binaryen.setOptimizeStackIR(true);
// As scripts/build-site.sh passes them to wasm-opt, with what its flags imply (bulk memory
// brings its optimisable subset, reference types the overlong call_indirect encoding).
const F = binaryen.Features;
const features = F.SIMD128 | F.BulkMemory | F.BulkMemoryOpt | F.NontrappingFPToInt | F.SignExt
  | F.MutableGlobals | F.ReferenceTypes | F.CallIndirectOverlong | F.Multivalue;
for (const file of files) {
  const module = binaryen.readBinary(readFileSync(file));
  module.setFeatures(features);
  if (!module.validate()) {
    console.error(`wasm-opt-many: ${file} does not validate`);
    process.exit(1);
  }
  module.optimize();
  writeFileSync(file, module.emitBinary());
  module.dispose();
}
