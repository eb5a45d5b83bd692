import { describe, expect, it } from 'vitest';
import { CdcDecodeError } from '../src/index.js';
import { decodeColumn, thrown } from './support/events.js';

const typed = (type: string, name: string) => ({ type, optional: true, name, version: 1 });

describe('dates', () => {
  it.each([
    ['io.debezium.time.Date', '0', '1970-01-01'],
    ['io.debezium.time.Date', '18086', '2019-07-09'],
    ['io.debezium.time.Date', '-1', '1969-12-31'],
    ['io.debezium.time.Date', '-719528', '0000-01-01'],
    ['io.debezium.time.Date', '2932896', '9999-12-31'],
    ['org.apache.kafka.connect.data.Date', '19723', '2024-01-01'],
    ['org.apache.kafka.connect.data.Date', '11016', '2000-02-29'],
  ])('%s %s is %s', (name, value, expected) => {
    expect(decodeColumn(typed('int32', name), value)).toBe(expected);
  });

  it('refuses a date beyond what a calendar can show', () => {
    expect((thrown(() => decodeColumn(typed('int32', 'io.debezium.time.Date'), '2000000000')) as CdcDecodeError).reason).toMatch(/out of range/);
  });
});

describe('times of day', () => {
  it.each([
    ['int32', 'io.debezium.time.Time', '0', '00:00:00.000'],
    ['int32', 'io.debezium.time.Time', '3723004', '01:02:03.004'],
    ['int32', 'org.apache.kafka.connect.data.Time', '86399999', '23:59:59.999'],
    ['int32', 'io.debezium.time.Time', '86400000', '24:00:00.000'],
    ['int64', 'io.debezium.time.MicroTime', '3723004005', '01:02:03.004005'],
    ['int64', 'io.debezium.time.MicroTime', '-1', '-00:00:00.000001'],
    ['int64', 'io.debezium.time.MicroTime', '3020399000000', '838:59:59.000000'],
    ['int64', 'io.debezium.time.MicroTime', '-3020399000000', '-838:59:59.000000'],
    ['int64', 'io.debezium.time.NanoTime', '86399999999999', '23:59:59.999999999'],
    ['int64', 'io.debezium.time.NanoTime', '1', '00:00:00.000000001'],
  ])('%s %s %s is %s', (type, name, value, expected) => {
    expect(decodeColumn(typed(type, name), value)).toBe(expected);
  });
});

describe('timestamps', () => {
  it.each([
    ['io.debezium.time.Timestamp', '1562630400000', '2019-07-09T00:00:00.000Z'],
    ['io.debezium.time.Timestamp', '-1', '1969-12-31T23:59:59.999Z'],
    ['org.apache.kafka.connect.data.Timestamp', '1700000000123', '2023-11-14T22:13:20.123Z'],
    ['io.debezium.time.MicroTimestamp', '1562630400123456', '2019-07-09T00:00:00.123456Z'],
    ['io.debezium.time.MicroTimestamp', '1562630400000001', '2019-07-09T00:00:00.000001Z'],
    ['io.debezium.time.MicroTimestamp', '-1', '1969-12-31T23:59:59.999999Z'],
    ['io.debezium.time.MicroTimestamp', '-62135596800000000', '0001-01-01T00:00:00.000000Z'],
    // Past 2^53: read from the JSON text, not through a double.
    ['io.debezium.time.NanoTimestamp', '1559033904863841257', '2019-05-28T08:58:24.863841257Z'],
    ['io.debezium.time.NanoTimestamp', '-1', '1969-12-31T23:59:59.999999999Z'],
    // PostgreSQL's infinity and -infinity arrive as Long.MAX_VALUE and Long.MIN_VALUE.
    ['io.debezium.time.MicroTimestamp', '9223372036854775807', 'infinity'],
    ['io.debezium.time.Timestamp', '-9223372036854775808', '-infinity'],
  ])('%s %s is %s', (name, value, expected) => {
    expect(decodeColumn(typed('int64', name), value)).toBe(expected);
  });

  it('keeps every digit that Date would drop, and Date still reads the result', () => {
    const micro = decodeColumn(typed('int64', 'io.debezium.time.MicroTimestamp'), '1700000000123456') as string;
    expect(micro).toBe('2023-11-14T22:13:20.123456Z');
    expect(new Date(micro).getTime()).toBe(1700000000123);
  });

  it('refuses timestamps a calendar cannot show, and values of the wrong type', () => {
    expect((thrown(() => decodeColumn(typed('int64', 'io.debezium.time.Timestamp'), '9000000000000000000')) as CdcDecodeError).reason).toMatch(/out of range/);
    expect((thrown(() => decodeColumn(typed('int64', 'io.debezium.time.Timestamp'), '"2019-07-09"')) as CdcDecodeError).reason).toMatch(/expected an integer/);
  });
});

describe('io.debezium.time.ZonedTimestamp', () => {
  const zoned = typed('string', 'io.debezium.time.ZonedTimestamp');

  it.each(['2019-07-09T00:00:00Z', '2019-07-09T00:00:00.123456Z', '2020-01-01T12:00:00+02:00', '2020-01-01T12:00:00.123456789-05:30', '+12345-01-01T00:00:00Z', 'infinity', '-infinity'])(
    'keeps %s as sent',
    (value) => {
      expect(decodeColumn(zoned, JSON.stringify(value))).toBe(value);
    },
  );

  it.each(['yesterday', '2019-07-09', '2019-07-09T00:00:00', '1562630400000'])('refuses %s', (value) => {
    expect(thrown(() => decodeColumn(zoned, JSON.stringify(value)))).toMatchObject({ code: 'UNDECODABLE_EVENT', path: 'payload.after.c' });
  });

  it('keeps ZonedTime as sent', () => {
    expect(decodeColumn(typed('string', 'io.debezium.time.ZonedTime'), '"12:34:56.789Z"')).toBe('12:34:56.789Z');
  });
});
