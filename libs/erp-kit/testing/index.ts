// The connector contract suite (STYLE.md §7): every ERP connector's test/ runs it against its sandbox. Test files only.
export { runConnectorContract } from './connector-contract';
export type { ConnectorCapabilities, ConnectorReplica, ConnectorUnderTest, ErpDocumentView } from './connector-under-test';
