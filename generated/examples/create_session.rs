//! Creates the Financial Connections Session of Stripe's documentation example and prints its
//! id and client secret.
//!
//! ```text
//! STRIPE_SECRET_KEY=sk_test_... cargo run -p stripe-financial-connections --example create_session
//! ```
//!
//! `STRIPE_API_BASE` sends the request to another Stripe-compatible server (default
//! `https://api.stripe.com`). On failure it prints the error and exits with status 1.

use std::process::ExitCode;
use stripe_financial_connections::{
    AccountholderType, Client, CreateSession, CreateSessionAccountHolder, CreateSessionFilters, Permission,
};

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let Ok(key) = std::env::var("STRIPE_SECRET_KEY") else {
        eprintln!("error: set STRIPE_SECRET_KEY to a Stripe secret key (sk_test_...)");
        return ExitCode::FAILURE;
    };
    let mut builder = Client::builder(key);
    if let Ok(base) = std::env::var("STRIPE_API_BASE") {
        builder = builder.base_url(base);
    }
    let client = match builder.build() {
        Ok(client) => client,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let holder = CreateSessionAccountHolder::new(AccountholderType::Customer).customer("cus_NiKSWdaFz2F6I0");
    let request = CreateSession::new(holder, [Permission::PaymentMethod, Permission::Balances])
        .filters(CreateSessionFilters::new().countries(["US"]));
    match request.send(&client).await {
        Ok(session) => {
            println!("id: {}", session.id);
            // hand the client secret to Stripe.js; it is a credential, so it is not logged here
            println!("client_secret: {}", session.client_secret.as_deref().map_or("(none)", |_| "received"));
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
