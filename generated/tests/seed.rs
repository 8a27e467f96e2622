//! The seed document's example, offline: the request encodes to the bytes Stripe's SDKs send
//! and the response decodes into `Session` with every field as documented.

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]
mod common;

use common::seed_request;
use stripe_financial_connections::{
    AccountholderType, CreateSession, CreateSessionAccountHolder, CreateSessionFilters, Expandable, FormEncoder,
    Permission, Prefetch, RetrieveSession, Session, StripeRequest, Subcategory,
};

fn body_of(request: &impl StripeRequest) -> String {
    let mut form = FormEncoder::new();
    request.encode_body(&mut form);
    form.finish().unwrap_or_else(|e| panic!("encoding failed: {e}"))
}

#[test]
fn seed_request_encodes_like_stripes_sdks() {
    assert_eq!(
        body_of(&seed_request()),
        "account_holder[type]=customer&account_holder[customer]=cus_NiKSWdaFz2F6I0\
         &permissions[0]=payment_method&permissions[1]=balances&filters[countries][0]=US"
    );
    assert_eq!(seed_request().path().ok().as_deref(), Some("/v1/financial_connections/sessions"));
}

#[test]
fn every_parameter_encodes() {
    let holder =
        CreateSessionAccountHolder::new(AccountholderType::Customer).customer("cus_1").customer_account("acct_2");
    let request = CreateSession::new(holder, vec![Permission::Ownership, Permission::Unknown("future".into())])
        .filters(
            CreateSessionFilters::new()
                .account_subcategories(vec![Subcategory::Checking, Subcategory::CreditCard])
                .countries(["US", "FR"]),
        )
        .prefetch(vec![Prefetch::Transactions])
        .return_url("https://example.com/back?a=1&b=two words")
        .expand(["accounts"]);
    assert_eq!(
        body_of(&request),
        "account_holder[type]=customer&account_holder[customer]=cus_1&account_holder[customer_account]=acct_2\
         &permissions[0]=ownership&permissions[1]=future&expand[0]=accounts\
         &filters[account_subcategories][0]=checking&filters[account_subcategories][1]=credit_card\
         &filters[countries][0]=US&filters[countries][1]=FR&prefetch[0]=transactions\
         &return_url=https%3A%2F%2Fexample.com%2Fback%3Fa%3D1%26b%3Dtwo+words"
    );
}

#[test]
fn retrieve_puts_the_id_in_the_path_and_expand_in_the_query() {
    let request = RetrieveSession::new("fcsess_1/../x?y").expand(["accounts"]);
    assert_eq!(request.path().ok().as_deref(), Some("/v1/financial_connections/sessions/fcsess_1%2F..%2Fx%3Fy"));
    let mut query = FormEncoder::new();
    request.encode_query(&mut query);
    assert_eq!(query.finish().ok().as_deref(), Some("expand[0]=accounts"));
    assert!(RetrieveSession::new("..").path().is_err(), "a dot segment would change the path");
}

#[test]
fn seed_response_decodes_with_every_field() {
    let json = include_str!("fixtures/seed_session.json");
    let session: Session = serde_json::from_str(json).unwrap_or_else(|e| panic!("seed response: {e}"));
    assert_eq!(session.id, "fcsess_1MwtnGLkdIwHu7ixs7NPQ7dq");
    assert_eq!(session.client_secret.as_deref(), Some("fcsess_client_secret_KRJTKvCY3IKoYTrW18EazcO3"));
    assert!(!session.livemode);
    assert_eq!(session.permissions, [Permission::Balances, Permission::PaymentMethod]);
    let holder = session.account_holder.as_ref().unwrap_or_else(|| panic!("account_holder missing"));
    assert_eq!(holder.type_, AccountholderType::Customer);
    assert_eq!(holder.customer.as_deref(), Some("cus_NiKSWdaFz2F6I0"));
    assert_eq!(holder.account, None);
    assert_eq!(holder.customer_account, None);
    assert!(session.accounts.data.is_empty());
    assert!(!session.accounts.has_more);
    assert_eq!(session.accounts.total_count, Some(0));
    assert_eq!(session.accounts.url, "/v1/financial_connections/accounts");
    let filters = session.filters.as_ref().unwrap_or_else(|| panic!("filters missing"));
    assert_eq!(filters.countries.as_deref(), Some(&["US".to_owned()][..]));
    assert_eq!(filters.account_subcategories, None);
    assert_eq!(session.prefetch, None);
    assert_eq!(session.return_url, None);

    // and back: serializing and decoding again gives the same value
    let again: Session = serde_json::from_value(serde_json::to_value(&session).unwrap_or_default())
        .unwrap_or_else(|e| panic!("round trip: {e}"));
    assert_eq!(again, session);
}

#[test]
fn unknown_fields_and_enum_values_still_decode() {
    let mut value: serde_json::Value =
        serde_json::from_str(include_str!("fixtures/seed_session.json")).unwrap_or_default();
    value["permissions"] = serde_json::json!(["balances", "brand_new_permission"]);
    value["a_field_added_later"] = serde_json::json!({"nested": true});
    value["accounts"]["data"] = serde_json::json!([{
        "id": "fca_1", "object": "financial_connections.account", "category": "cash", "created": 1700000000,
        "institution_name": "Bank", "livemode": false, "status": "active", "subcategory": "tokenized_savings",
        "supported_payment_method_types": ["us_bank_account"], "ownership": "fcaowns_1",
        "balance": {"as_of": 1700000000, "current": {"usd": 1200}, "type": "cash", "cash": {"available": {"usd": 1000}}}
    }]);
    let session: Session = serde_json::from_value(value).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(session.permissions[1], Permission::Unknown("brand_new_permission".into()));
    assert_eq!(session.permissions[1].as_str(), "brand_new_permission");
    let account = &session.accounts.data[0];
    assert_eq!(account.subcategory.as_str(), "tokenized_savings");
    assert_eq!(account.ownership, Some(Expandable::Id("fcaowns_1".into())));
    let balance = account.balance.as_ref().unwrap_or_else(|| panic!("balance"));
    assert_eq!(balance.current.get("usd"), Some(&1200));
}

#[test]
fn generated_decoding_names_missing_fields_and_accepts_null_optionals() {
    let seed = include_str!("fixtures/seed_session.json");
    let mut value: serde_json::Value = serde_json::from_str(seed).unwrap();

    // optional fields may be null or absent; the key order of the input does not matter
    value["return_url"] = serde_json::Value::Null;
    value.as_object_mut().unwrap().remove("filters");
    let from_value: Session = serde_json::from_value(value.clone()).unwrap();
    let from_text: Session = serde_json::from_str(&value.to_string()).unwrap();
    assert_eq!(from_value, from_text, "borrowed and owned keys decode alike");
    assert_eq!(from_value.return_url, None);
    assert_eq!(from_value.filters, None);

    // a missing required field is serde's error, with the path to it
    let mut without_livemode = value.clone();
    without_livemode.as_object_mut().unwrap().remove("livemode");
    let err = serde_json::from_value::<Session>(without_livemode).unwrap_err().to_string();
    assert_eq!(err, "missing field `livemode`");
    value["account_holder"].as_object_mut().unwrap().remove("type");
    let text = value.to_string();
    let mut de = serde_json::Deserializer::from_str(&text);
    let err = serde_path_to_error::deserialize::<_, Session>(&mut de).unwrap_err();
    assert_eq!(err.inner().to_string().split(" at line").next(), Some("missing field `type`"));
    assert_eq!(err.path().to_string(), "account_holder");

    // a value of the wrong shape says what was expected
    let err = serde_json::from_str::<Session>("[1, 2]").unwrap_err().to_string();
    assert!(err.starts_with("invalid type: sequence, expected `Session` (a JSON object)"), "{err}");
}
