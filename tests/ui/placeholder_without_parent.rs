use resource_core::StripeResource;
use serde::Deserialize;

#[derive(Deserialize, StripeResource)]
#[stripe(
    object = "customer_balance_transaction",
    path = "/v1/customers/{customer}/balance_transactions",
    prefix = "cbtxn",
    retrieve,
)]
pub struct CustomerBalanceTransaction {
    pub id: CustomerBalanceTransactionId,
}

fn main() {}
