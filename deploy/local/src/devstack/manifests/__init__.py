"""The Kubernetes manifests that follow from the code: topics, Kafka users and their ACLs,
database roles and schemas, one Deployment per service (``devstack manifests``)."""
