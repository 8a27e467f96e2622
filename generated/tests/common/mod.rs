//! What the tests share: the seed document's request.

use stripe_financial_connections::{
    AccountholderType, CreateSession, CreateSessionAccountHolder, CreateSessionFilters, Permission,
};

/// The seed's Create a Session request: customer `cus_NiKSWdaFz2F6I0`, permissions
/// payment_method and balances, countries US.
pub(crate) fn seed_request() -> CreateSession {
    let holder = CreateSessionAccountHolder::new(AccountholderType::Customer).customer("cus_NiKSWdaFz2F6I0");
    CreateSession::new(holder, [Permission::PaymentMethod, Permission::Balances])
        .filters(CreateSessionFilters::new().countries(["US"]))
}
