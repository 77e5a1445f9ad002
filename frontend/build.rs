//! The app's WASM module keeps its relocations (`--emit-relocs`): `scripts/build-site.sh` cuts it
//! at the lazy routes' split points with wasm-split, which needs them (docs/build.md, "First
//! load"). Only this crate's link is affected.
fn main() {
    if std::env::var("TARGET").is_ok_and(|target| target.starts_with("wasm32")) {
        println!("cargo:rustc-link-arg-cdylib=--emit-relocs");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
