import { runConnectorContract } from '../testing';
import { startReferenceFortnox } from './reference-fortnox/reference-fortnox.connector';

// The contract suite against the test-only reference Fortnox port and sandbox-fortnox (real HTTP, real PostgreSQL).
// services/connector-fortnox will run the same suite with its own factory and replace this port.
runConnectorContract('reference Fortnox port (test double for connector-fortnox)', startReferenceFortnox, {
  supportsCreditNotes: true,
  searchableExternalRef: true,
});
