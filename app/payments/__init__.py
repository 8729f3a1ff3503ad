"""Card payments: the payment gateway interface, its Stripe adapter and the webhook's event log."""
