-- The gateway's own database and the one the e2e tests recreate; the engine uses `camunda`.
CREATE DATABASE camunda_gateway;
CREATE DATABASE camunda_gateway_test;
