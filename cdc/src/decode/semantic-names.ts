/** The logical type names Debezium and Kafka Connect put in a field schema's `name`. */
export const SemanticName = {
  Decimal: 'org.apache.kafka.connect.data.Decimal',
  ConnectDate: 'org.apache.kafka.connect.data.Date',
  ConnectTime: 'org.apache.kafka.connect.data.Time',
  ConnectTimestamp: 'org.apache.kafka.connect.data.Timestamp',
  VariableScaleDecimal: 'io.debezium.data.VariableScaleDecimal',
  Json: 'io.debezium.data.Json',
  Uuid: 'io.debezium.data.Uuid',
  Enum: 'io.debezium.data.Enum',
  EnumSet: 'io.debezium.data.EnumSet',
  Bits: 'io.debezium.data.Bits',
  Xml: 'io.debezium.data.Xml',
  Date: 'io.debezium.time.Date',
  Time: 'io.debezium.time.Time',
  MicroTime: 'io.debezium.time.MicroTime',
  NanoTime: 'io.debezium.time.NanoTime',
  ZonedTime: 'io.debezium.time.ZonedTime',
  Timestamp: 'io.debezium.time.Timestamp',
  MicroTimestamp: 'io.debezium.time.MicroTimestamp',
  NanoTimestamp: 'io.debezium.time.NanoTimestamp',
  ZonedTimestamp: 'io.debezium.time.ZonedTimestamp',
  MicroDuration: 'io.debezium.time.MicroDuration',
  Year: 'io.debezium.time.Year',
} as const;
export type SemanticName = (typeof SemanticName)[keyof typeof SemanticName];

/** Record names of Debezium's non-row values, as the JsonConverter writes them in `schema.name`. */
export const MetadataSchemaName = {
  TransactionMetadataValue: 'io.debezium.connector.common.TransactionMetadataValue',
  Heartbeat: 'io.debezium.connector.common.Heartbeat',
} as const;

/** `io.debezium.connector.<connector>.SchemaChangeValue`; the connector part varies. */
export const schemaChangeValueName = /^io\.debezium\.connector\.[^.]+\.SchemaChangeValue$/;

/** Scale Kafka's Decimal keeps in its parameters. */
export const DecimalScaleParameter = 'scale';
/** Precision Debezium adds to Decimal's parameters. */
export const DecimalPrecisionParameter = 'connect.decimal.precision';
