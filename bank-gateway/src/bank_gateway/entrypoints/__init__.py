"""What drives the gateway: the Kafka handler, the payment worker, the payroll command."""
