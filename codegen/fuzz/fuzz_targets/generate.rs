//! Fuzz target: any bytes as a spec (YAML, or JSON when they start with `{`). Generation must
//! never panic, and whatever it emits must parse as Rust.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(output) = stripe_codegen::generate("fuzz.yaml", text, &Default::default()) {
        for (path, code) in output.rust_files() {
            if let Err(e) = syn::parse_file(code) {
                panic!("{path} does not parse: {e}");
            }
        }
    }
});
