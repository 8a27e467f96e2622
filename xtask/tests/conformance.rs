//! Hostile but valid specs produce Rust that compiles, documents without warnings and keeps
//! the wire names: each construct spec under `codegen/tests/specs/` is generated into a crate
//! under `target/conformance/`, built with `-D warnings`, and JSON is round-tripped through the
//! hostile types. Each crate is also checked with each of its resource features alone, and
//! with none, so no feature misses an item another needs. The crates share one target
//! directory, so dependencies build once.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn run(cmd: &mut Command, what: &str) {
    let out = cmd.output().unwrap_or_else(|e| panic!("{what}: {e}"));
    assert!(
        out.status.success(),
        "{what} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn cargo(krate: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()));
    cmd.args(args)
        .current_dir(krate)
        // the target directory and flags of every crate xtask generates and builds
        // (`fixtures::GENERATED_CRATES_TARGET`, `fixtures::cargo`): dependencies build once for all
        .env("CARGO_TARGET_DIR", root().join("target/generated-crates"))
        .env("RUSTFLAGS", "-D warnings")
        .env("RUSTDOCFLAGS", "-D warnings")
        .env_remove("CARGO_ENCODED_RUSTFLAGS");
    cmd
}

/// JSON round trips through the hostile types, as tests of the generated crates.
const ROUND_TRIPS: &[(&str, &str)] = &[
    (
        "hostile_names",
        r#"
use hostile_names::{Hostile, Self_};

#[test]
fn every_hostile_wire_name_round_trips() {
    let json = serde_json::json!({
        "type": "t", "self": "s", "Self": "S", "crate": "c", "super": "su", "fn": "f", "match": "m",
        "ref": "r", "async": "a", "3d_secure": "3", "dash-name": "d", "dot.name": "o", "bracket[0]": "b",
        "with space": "w", "größe": "g", "a_b": "ab", "aB": "aB"
    });
    let value: Hostile = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(value.type_.as_deref(), Some("t"));
    assert_eq!(value.a_b_2.as_deref(), Some("aB"));
    assert_eq!(serde_json::to_value(&value).unwrap(), json);
    let _ = Self_::default();
}
"#,
    ),
    (
        "events",
        r#"
use events::{Event, EventObject, EventType};
use events::webhook::{Webhook, signature_header};

fn event(kind: &str, object: serde_json::Value) -> Event {
    let payload = serde_json::to_vec(&serde_json::json!({"id": "evt_1", "type": kind, "data": {"object": object}})).unwrap();
    let header = signature_header(&payload, "whsec_1", std::time::SystemTime::now());
    Webhook::new("whsec_1").accept_any_api_version().construct_event(&payload, &header).unwrap()
}

#[test]
fn each_event_type_decodes_its_own_object() {
    let widget = event("widget.updated", serde_json::json!({"id": "w_1", "object": "widget", "size": 3}));
    assert_eq!(widget.type_, EventType::WidgetUpdated);
    assert!(matches!(widget.object().unwrap(), EventObject::Widget(w) if w.id == "w_1" && w.size == Some(3)));
    let gadget = event("gadget.created", serde_json::json!({"id": "g_1"}));
    assert!(matches!(gadget.object().unwrap(), EventObject::Gadget(g) if g.id == "g_1"));
    // no resource of that name, another resource's prefix, an unknown type: the JSON
    for kind in ["unknown_thing.happened", "widget_part.created", "widget.renamed"] {
        let other = event(kind, serde_json::json!({"id": "x_1"}));
        assert!(matches!(other.object().unwrap(), EventObject::Other(json) if json["id"] == "x_1"), "{kind}");
    }
    // the type says widget, the object is none: an error, not a guess
    let wrong = event("widget.created", serde_json::json!({"size": "big"}));
    assert!(wrong.object().is_err());
}
"#,
    ),
    (
        "enums",
        r#"
use enums::{Charge, ChargeAwkward};

#[test]
fn awkward_enum_values_keep_their_spelling() {
    let json = serde_json::json!({"status": "succeeded", "awkward": "", "previous_status": "brand_new"});
    let value: Charge = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(value.awkward, Some(ChargeAwkward::Empty));
    assert_eq!(serde_json::to_value(&value).unwrap(), json);
    for wire in ["", "a-b", "a_b", "self", "Self", "type", "unknown", "3ds", "not-listed"] {
        let parsed: ChargeAwkward = serde_json::from_value(serde_json::json!(wire)).unwrap();
        assert_eq!(parsed.as_str(), wire);
        assert_eq!(serde_json::to_value(&parsed).unwrap(), serde_json::json!(wire));
    }
    assert_eq!("unknown".parse::<ChargeAwkward>().unwrap(), ChargeAwkward::Unknown);
    assert_eq!("zzz".parse::<ChargeAwkward>().unwrap(), ChargeAwkward::UnknownValue("zzz".into()));
}
"#,
    ),
    (
        "unions_and_recursion",
        r#"
use unions_and_recursion::{
    AmountOrText, CountOrRatio, CustomerOrDeleted, Destination, Node, PaymentSource, Pet, PetByFields, PetByGuess,
    Ping,
};

#[test]
fn recursive_and_polymorphic_values_round_trip() {
    let json = serde_json::json!({"next": {"next": {"next": null}, "children": [{"next": null}]}});
    let node: Node = serde_json::from_value(json).unwrap();
    let again: Node = serde_json::from_value(serde_json::to_value(&node).unwrap()).unwrap();
    assert_eq!(again, node);
    let ping: Ping = serde_json::from_value(serde_json::json!({"pong": {"ping": {"pong": {}}}})).unwrap();
    assert!(ping.pong.is_some());
    let card: PaymentSource = serde_json::from_value(serde_json::json!({"object": "card", "id": "card_1"})).unwrap();
    assert!(matches!(card, PaymentSource::Card(ref c) if c.id == "card_1"));
    assert_eq!(serde_json::to_value(&card).unwrap(), serde_json::json!({"object": "card", "id": "card_1"}));
    let n: AmountOrText = serde_json::from_value(serde_json::json!(5)).unwrap();
    assert_eq!(n, AmountOrText::Integer(5));
}

fn decode<T: serde::de::DeserializeOwned>(json: serde_json::Value) -> T {
    serde_json::from_value(json).unwrap()
}

fn refused<T: serde::de::DeserializeOwned + std::fmt::Debug>(json: serde_json::Value) -> String {
    serde_json::from_value::<T>(json).unwrap_err().to_string()
}

/// A value of each alternative comes back as that alternative, whatever their order; what
/// fits none is an error; what fits several, or has an unknown tag, is kept as JSON.
#[test]
fn every_union_decodes_each_value_to_its_own_alternative() {
    use serde_json::json;
    // tagged by Stripe's `object` constants
    assert!(matches!(decode(json!({"object": "bank_account", "id": "ba_1"})), PaymentSource::BankAccount(_)));
    assert!(matches!(decode(json!({"object": "card", "id": "card_1"})), PaymentSource::Card(_)));
    let new_kind = json!({"object": "paypal", "id": "pp_1"});
    assert_eq!(decode::<PaymentSource>(new_kind.clone()), PaymentSource::Unknown(new_kind.clone()));
    assert_eq!(serde_json::to_value(PaymentSource::Unknown(new_kind.clone())).unwrap(), new_kind);
    assert!(refused::<PaymentSource>(json!({"object": "card"})).contains("`PaymentSource` as `Card`: missing field `id`"));
    assert!(refused::<PaymentSource>(json!({"id": "card_1"})).contains("missing field `object`"));

    // by the discriminator, through its mapping and by component name
    assert!(matches!(decode(json!({"kind": "dog", "bark": "woof"})), Pet::Dog(ref d) if d.bark.as_deref() == Some("woof")));
    assert!(matches!(decode(json!({"kind": "kitty", "lives": 9})), Pet::Cat(ref c) if c.lives == Some(9)));
    assert!(matches!(decode(json!({"kind": "bird"})), Pet::Unknown(_)));

    // by the fields each alternative requires
    assert!(matches!(decode(json!({"kind": "x", "lives": 9})), PetByFields::Feline(_)));
    assert!(matches!(decode(json!({"kind": "x", "bark": "woof"})), PetByFields::Canine(_)));
    assert!(refused::<PetByFields>(json!({"kind": "x"})).contains("fits none of its alternatives"));
    // a field only the other alternative knows rules an alternative out
    assert!(refused::<PetByFields>(json!({"kind": "x", "lives": 9, "bark": "woof"})).contains("fits none"));
    assert!(matches!(decode(json!({"kind": "x", "lives": 9, "added_later": 1})), PetByFields::Feline(_)));

    // one `object` value for both: the required fields decide
    assert!(matches!(decode(json!({"id": "cus_1", "object": "customer", "created": 1})), CustomerOrDeleted::Customer(_)));
    assert!(matches!(
        decode(json!({"id": "cus_1", "object": "customer", "deleted": true})),
        CustomerOrDeleted::DeletedCustomer(_)
    ));

    // two `object` values for four alternatives: constants and fields together
    let destination = |json| decode::<Destination>(json);
    assert!(matches!(destination(json!({"id": "ba_1", "object": "bank_account"})), Destination::BankAccount(_)));
    assert!(matches!(destination(json!({"id": "card_1", "object": "card"})), Destination::Card(_)));
    let deleted = json!({"id": "card_1", "object": "card", "deleted": true});
    assert!(matches!(destination(deleted), Destination::DeletedCard(_)));
    let deleted = json!({"id": "ba_1", "object": "bank_account", "deleted": true});
    assert!(matches!(destination(deleted), Destination::DeletedBankAccount(_)));

    // nothing tells these apart: such a value is kept, never guessed (the generator warned)
    let dog = json!({"kind": "dog"});
    assert_eq!(decode::<PetByGuess>(dog.clone()), PetByGuess::Unknown(dog));
    assert!(matches!(decode(json!({"kind": "dog", "bark": "woof"})), PetByGuess::Dog(_)));
    assert!(matches!(decode(json!({"kind": "cat", "lives": 1})), PetByGuess::Cat(_)));

    // by JSON type
    assert_eq!(decode::<AmountOrText>(json!("five")), AmountOrText::String("five".into()));
    assert_eq!(decode::<CountOrRatio>(json!(3)), CountOrRatio::Integer(3));
    assert_eq!(decode::<CountOrRatio>(json!(0.5)), CountOrRatio::Number(0.5));
    assert!(refused::<AmountOrText>(json!(true)).contains("`AmountOrText`: the value fits none of its alternatives: a boolean"));
}
"#,
    ),
];

/// With only `charge` on, the customer and account behind its expandable fields are stand-ins
/// that keep the JSON; with their features on, the same code sees the typed objects.
const STAND_IN: &str = r#"
use expandable::{Charge, ChargeOnBehalfOf};

#[test]
fn expanded_objects_survive_without_their_features() {
    let json = serde_json::json!({
        "id": "ch_1",
        "customer": {"id": "cus_1", "object": "customer", "email": "a@example.com"},
        "on_behalf_of": {"id": "acct_1", "object": "account"}
    });
    let charge: Charge = serde_json::from_value(json.clone()).unwrap();
    let customer = charge.customer.as_ref().and_then(|c| c.as_object()).unwrap();
    let on_behalf_of = charge.on_behalf_of.as_ref().and_then(|c| c.as_object()).unwrap();
    assert!(matches!(on_behalf_of, ChargeOnBehalfOf::Account(_)));
    // what a stand-in offers, the real type offers too: this compiles either way
    let copy: expandable::Customer = customer.clone();
    assert_eq!(&copy, customer);
    assert!(format!("{copy:?}").contains("cus_1"));
    assert_eq!(serde_json::to_value(&copy).unwrap()["id"], "cus_1");
    #[cfg(not(feature = "customer"))]
    assert_eq!(serde_json::to_value(customer).unwrap()["email"], "a@example.com");
    #[cfg(feature = "customer")]
    assert_eq!(customer.id, "cus_1");
    #[cfg(not(feature = "customer"))]
    assert_eq!(serde_json::to_value(&charge).unwrap(), json);
}
"#;

/// The resource features of a generated crate, from its manifest's generated section.
fn resource_features(krate: &Path) -> Vec<String> {
    let manifest = std::fs::read_to_string(krate.join("Cargo.toml")).unwrap();
    let section = manifest.split("# @generated features: begin").nth(1).unwrap();
    let section = section.split("# @generated features: end").next().unwrap();
    section
        .lines()
        .filter_map(|l| l.split_once(" = ").map(|(key, _)| key.trim_matches('"').to_owned()))
        .filter(|key| key != "full")
        .collect()
}

#[test]
fn construct_specs_compile_without_warnings_and_round_trip() {
    let specs_dir = root().join("codegen/tests/specs");
    let mut specs: Vec<PathBuf> = std::fs::read_dir(&specs_dir).unwrap().flatten().map(|e| e.path()).collect();
    specs.sort();
    for spec in specs {
        let stem = spec.file_stem().unwrap().to_string_lossy().into_owned();
        // a directory name that is no valid crate name still gives a warning-free crate
        let dir_name = if stem == "optional_nullable" { "Optional Nullable-2021Q3" } else { &stem };
        let krate = root().join("target/conformance").join(dir_name);
        let _ = std::fs::remove_dir_all(&krate);
        run(
            Command::new(env!("CARGO_BIN_EXE_xtask")).args([
                "codegen",
                "--spec",
                spec.to_str().unwrap(),
                "--out",
                krate.to_str().unwrap(),
            ]),
            &format!("generating {stem}"),
        );
        // the tests this test writes
        let tests = krate.join("tests");
        std::fs::create_dir_all(&tests).unwrap();
        if let Some((_, body)) = ROUND_TRIPS.iter().find(|(name, _)| *name == stem) {
            std::fs::write(
                tests.join("round_trip.rs"),
                format!("//! JSON round trips (written by xtask's conformance test).\n{body}"),
            )
            .unwrap();
        }
        if stem == "expandable" {
            std::fs::write(
                tests.join("stand_in.rs"),
                format!("//! Stand-ins (written by xtask's conformance test).\n{STAND_IN}"),
            )
            .unwrap();
            run(
                &mut cargo(
                    &krate,
                    &["test", "--offline", "--quiet", "--no-default-features", "--features", "charge", "--tests"],
                ),
                "the stand-in test with only `charge`",
            );
        }
        if stem == "events" {
            // the event's objects without their resources' features: every event's object is JSON
            run(
                &mut cargo(
                    &krate,
                    &["check", "--offline", "--quiet", "--no-default-features", "--features", "event,webhooks"],
                ),
                "checking events with only `event` and `webhooks`",
            );
        }
        // doctests too: every request type's example must compile against this crate; with
        // `webhooks` (the events' test verifies a webhook)
        run(
            &mut cargo(&krate, &["test", "--offline", "--quiet", "--features", "webhooks"]),
            &format!("building and testing {stem}"),
        );
        run(&mut cargo(&krate, &["doc", "--offline", "--no-deps", "--quiet"]), &format!("documenting {stem}"));
        for feature in resource_features(&krate).into_iter().chain([String::new()]) {
            run(
                &mut cargo(&krate, &["check", "--offline", "--quiet", "--no-default-features", "--features", &feature]),
                &format!("checking {stem} with only the feature `{feature}`"),
            );
        }
    }
}
