import { randomUUID } from 'node:crypto';
import { createTestSchema, type TestSchema } from '@paperboy/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Cadence,
  createPool,
  emailHash,
  migrate,
  type Pool,
  planDueDeliveries,
  updatePreferences,
} from '../src/index.ts';

const HOUR_MS = 3_600_000;

interface Reader {
  id: string;
  timezone: string;
}

/** The reader's wall clock at an instant: ISO weekday (1 = Monday), hour, local date. */
function localClock(at: Date, timezone: string) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: timezone,
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(at)
      .map((part) => [part.type, part.value]),
  );
  const weekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(parts.weekday!) + 1;
  return {
    weekday,
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    date: `${parts.year}-${parts.month}-${parts.day}`,
  };
}

describe('planning daily and weekly digests with explicit instants', () => {
  let schema: TestSchema;
  let pool: Pool;

  const addReader = async (
    timezone: string,
    sendHour: number,
    cadence: Cadence,
    weekday = 1,
  ): Promise<Reader & { sendHour: number }> => {
    const email = `${randomUUID()}@example.org`;
    const { rows } = await pool.query<{ id: string }>(
      `INSERT INTO subscribers (email, email_hash, status, timezone, send_hour, cadence, weekday)
       VALUES ($1, $2, 'active', $3, $4, $5, $6) RETURNING id`,
      [email, emailHash(email), timezone, sendHour, cadence, weekday],
    );
    return { id: rows[0]!.id, timezone, sendHour };
  };

  /**
   * Runs the planner on the hour from `from` to `to`, as the scheduler would, but only at the
   * hours that can matter (each reader's local hour before, at and after their send hour, on every
   * day: enough to see when a digest is planned and that it is planned once), because each plan
   * statement costs real time. Returns each delivery created with the instant that created it.
   * `before` runs ahead of each plan.
   */
  const drive = async (
    readers: { timezone: string; sendHour: number }[],
    from: string,
    to: string,
    before?: (at: Date) => Promise<void>,
  ) => {
    const created = new Map<string, Date>();
    for (let at = new Date(from); at < new Date(to); at = new Date(at.getTime() + HOUR_MS)) {
      const matters = readers.some(
        (reader) => Math.abs(localClock(at, reader.timezone).hour - reader.sendHour) <= 1,
      );
      if (!matters) continue;
      await before?.(at);
      for (const id of await planDueDeliveries(pool, at, { ignoreSendHour: false })) created.set(id, at);
    }
    return created;
  };

  /** Readers whose part of a test is over: a later window of another zone must not plan them. */
  const retire = (readers: Reader[]) =>
    pool.query(`UPDATE subscribers SET paused_until = '2100-01-01' WHERE id = ANY ($1::uuid[])`, [
      readers.map((reader) => reader.id),
    ]);

  const deliveriesOf = async (reader: Reader, created: Map<string, Date>) => {
    const { rows } = await pool.query<{ id: string; local_date: string; cadence: Cadence }>(
      'SELECT id, local_date, cadence FROM deliveries WHERE subscriber_id = $1 ORDER BY local_date',
      [reader.id],
    );
    return rows.map((row) => ({
      localDate: row.local_date,
      cadence: row.cadence,
      plannedAt: localClock(created.get(row.id)!, reader.timezone),
    }));
  };

  beforeAll(async () => {
    schema = await createTestSchema('cadence');
    pool = createPool(schema.url, 2);
    await migrate(pool);
  });
  afterAll(async () => {
    await pool?.end();
    await schema?.drop();
  });

  it('sends weekly readers in New York and Berlin exactly one digest in the week the clocks spring forward, at their hour', async () => {
    // US clocks spring forward on Sunday 8 March 2026, the EU's on Sunday 29 March 2026.
    const newYorkSunday = await addReader('America/New_York', 8, 'weekly', 7);
    const newYorkGap = await addReader('America/New_York', 2, 'weekly', 7); // 02:00 does not exist on 8 March
    const newYorkMonday = await addReader('America/New_York', 8, 'weekly', 1);
    const newYorkDaily = await addReader('America/New_York', 8, 'daily');
    const newYork = [newYorkSunday, newYorkGap, newYorkMonday, newYorkDaily];
    // Monday 00:00 to the next Monday 23:00 of each zone's DST week, local time.
    const created = await drive(newYork, '2026-03-02T05:00:00Z', '2026-03-10T03:00:00Z');
    await retire(newYork);
    const berlinSunday = await addReader('Europe/Berlin', 8, 'weekly', 7);
    const berlinWednesday = await addReader('Europe/Berlin', 18, 'weekly', 3);
    const berlin = [berlinSunday, berlinWednesday];
    for (const entry of await drive(berlin, '2026-03-22T23:00:00Z', '2026-03-30T22:00:00Z'))
      created.set(...entry);
    await retire(berlin);
    const planned = async (reader: Reader) =>
      (await deliveriesOf(reader, created)).map((delivery) => {
        expect(delivery.plannedAt.date).toBe(delivery.localDate);
        const { weekday, hour, minute } = delivery.plannedAt;
        return `${delivery.localDate} ${delivery.cadence} day ${weekday} ${hour}:${String(minute).padStart(2, '0')}`;
      });
    // The DST Sundays themselves, at 08:00 local after the change; one digest in the week.
    expect(await planned(newYorkSunday)).toEqual(['2026-03-08 weekly day 7 8:00']);
    expect(await planned(berlinSunday)).toEqual(['2026-03-29 weekly day 7 8:00']);
    expect(await planned(berlinWednesday)).toEqual(['2026-03-25 weekly day 3 18:00']);
    // Monday before the change (EST) and Monday after it (EDT): two weeks, one each, both at 08:00.
    expect(await planned(newYorkMonday)).toEqual([
      '2026-03-02 weekly day 1 8:00',
      '2026-03-09 weekly day 1 8:00',
    ]);
    // 02:00 never happens on 8 March in New York: the digest goes at the first run after the gap.
    expect(await planned(newYorkGap)).toEqual(['2026-03-08 weekly day 7 3:00']);
    // A daily reader in the same zone: every day of the week, at 08:00 local before and after the change.
    const daily = await planned(newYorkDaily);
    expect(daily).toHaveLength(8);
    for (const line of daily) expect(line).toMatch(/ daily day \d 8:00$/);
  }, 180_000);

  it('sends one weekly digest in the week the clocks fall back, even at an hour that happens twice', async () => {
    // EU clocks fall back on Sunday 25 October 2026, the US's on Sunday 1 November 2026.
    const berlinTwice = await addReader('Europe/Berlin', 2, 'weekly', 7); // 02:00 happens twice on 25 October
    const berlinSunday = await addReader('Europe/Berlin', 8, 'weekly', 7);
    // Monday 00:00 to the next Monday of each zone's DST week, local time.
    const created = await drive([berlinTwice, berlinSunday], '2026-10-18T22:00:00Z', '2026-10-26T22:00:00Z');
    await retire([berlinTwice, berlinSunday]);
    const newYorkTwice = await addReader('America/New_York', 1, 'weekly', 7); // 01:00 happens twice on 1 November
    for (const entry of await drive([newYorkTwice], '2026-10-26T04:00:00Z', '2026-11-02T05:00:00Z'))
      created.set(...entry);
    await retire([newYorkTwice]);
    for (const [reader, sunday] of [
      [newYorkTwice, '2026-11-01'],
      [berlinTwice, '2026-10-25'],
      [berlinSunday, '2026-10-25'],
    ] as const) {
      const deliveries = await deliveriesOf(reader, created);
      expect(deliveries.map((delivery) => delivery.localDate)).toEqual([sunday]);
      expect(deliveries[0]!.plannedAt).toMatchObject({ weekday: 7, hour: reader.sendHour, minute: 0 });
    }
    // The first of the two 01:00s (EDT, 05:00 UTC): the second finds the week's digest planned.
    const [newYorkDst] = (await deliveriesOf(newYorkTwice, created)).filter(
      (delivery) => delivery.localDate === '2026-11-01',
    );
    expect(newYorkDst?.plannedAt).toEqual({ weekday: 7, hour: 1, minute: 0, date: '2026-11-01' });
    expect(
      [...created.values()].filter((when) => when.toISOString() === '2026-11-01T05:00:00.000Z'),
    ).toHaveLength(1);
  }, 180_000);

  it('never sends two digests in one day, nor loses the week’s, when a reader switches cadence mid-week', async () => {
    const change = (reader: Reader, cadence: Cadence, weekday?: number) =>
      updatePreferences(pool, reader.id, 1, { cadence, ...(weekday === undefined ? {} : { weekday }) });
    const dailyToWeekly = await addReader('Europe/Berlin', 8, 'daily');
    const weeklyToDaily = await addReader('Europe/Berlin', 8, 'weekly', 3);
    const sameDaySwitch = await addReader('Europe/Berlin', 8, 'daily');
    const movesWeekday = await addReader('Europe/Berlin', 8, 'weekly', 1);
    // Monday 7 December 2026 to Monday 21 December, Berlin = UTC+1.
    const everyone = [dailyToWeekly, weeklyToDaily, sameDaySwitch, movesWeekday];
    // Monday 7 December 2026, 00:00 in Berlin (UTC+1), for two weeks.
    const created = await drive(everyone, '2026-12-06T23:00:00Z', '2026-12-20T23:00:00Z', async (at) => {
      if (at.toISOString() === '2026-12-08T08:00:00.000Z') {
        await change(dailyToWeekly, 'weekly', 3); // Tuesday 09:00, after Tuesday's daily
        await change(movesWeekday, 'weekly', 5); // Monday's weekly went out; Friday is the same week
      }
      if (at.toISOString() === '2026-12-09T08:00:00.000Z') {
        await change(weeklyToDaily, 'daily'); // Wednesday 09:00, after Wednesday's weekly
        await change(sameDaySwitch, 'weekly', 3); // Wednesday 09:00, after Wednesday's daily
      }
    });
    const dates = async (reader: Reader) =>
      (await deliveriesOf(reader, created)).map((delivery) => `${delivery.localDate} ${delivery.cadence}`);
    expect(await dates(dailyToWeekly)).toEqual([
      '2026-12-07 daily',
      '2026-12-08 daily',
      '2026-12-09 weekly',
      '2026-12-16 weekly',
    ]);
    expect(await dates(weeklyToDaily)).toEqual([
      '2026-12-09 weekly',
      ...['10', '11', '12', '13', '14', '15', '16', '17', '18', '19', '20'].map(
        (day) => `2026-12-${day} daily`,
      ),
    ]);
    // Wednesday already had its mail (the daily one): the first weekly comes the next Wednesday.
    expect(await dates(sameDaySwitch)).toEqual([
      '2026-12-07 daily',
      '2026-12-08 daily',
      '2026-12-09 daily',
      '2026-12-16 weekly',
    ]);
    expect(await dates(movesWeekday)).toEqual(['2026-12-07 weekly', '2026-12-18 weekly']);
    await retire(everyone);
  }, 180_000);

  it('plans a weekly reader at most once a week even when an operator runs everyone now', async () => {
    const weekly = await addReader('Europe/Berlin', 8, 'weekly', 5);
    const monday = new Date('2027-01-04T12:00:00Z');
    expect((await planDueDeliveries(pool, monday, { ignoreSendHour: true })).length).toBeGreaterThanOrEqual(
      1,
    );
    const tuesday = new Date('2027-01-05T12:00:00Z');
    await planDueDeliveries(pool, tuesday, { ignoreSendHour: true });
    const { rows } = await pool.query('SELECT local_date FROM deliveries WHERE subscriber_id = $1', [
      weekly.id,
    ]);
    expect(rows.map((row) => row.local_date)).toEqual(['2027-01-04']);
  });
});
