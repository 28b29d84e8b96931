import type { PreferenceChange } from '@paperboy/db';
import { Type } from 'typebox';
import type { ManageForm } from '../pages/manage-page.ts';
import { checkPreferences, type FieldProblem } from '../preferences.ts';

/** The preference form as browsers post it: every field is text, and none is required. */
export const ManageFormBody = Type.Object(
  {
    topics: Type.Optional(Type.String({ maxLength: 2000 })),
    timezone: Type.Optional(Type.String({ maxLength: 100 })),
    sendHour: Type.Optional(Type.String({ maxLength: 10 })),
    paperCount: Type.Optional(Type.String({ maxLength: 10 })),
    pauseDays: Type.Optional(Type.String({ maxLength: 10 })),
    cadence: Type.Optional(Type.String({ maxLength: 10 })),
    weekday: Type.Optional(Type.String({ maxLength: 10 })),
  },
  { additionalProperties: false },
);

function wholeNumber(
  raw: string | undefined,
  field: FieldProblem['field'],
  problems: FieldProblem[],
): number | undefined {
  const value = raw?.trim();
  if (value === undefined || value === '') return undefined;
  if (/^\d{1,3}$/.test(value)) return Number(value);
  problems.push({ field, message: 'must be a whole number' });
  return undefined;
}

/** Turns the posted text into a checked change, or the problems to show next to the fields. */
export function readManageForm(
  body: Partial<ManageForm>,
): { ok: true; change: PreferenceChange } | { ok: false; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const change: PreferenceChange = {};
  if (body.topics !== undefined) change.topics = body.topics.split(/[,;\n]/);
  const timezone = body.timezone?.trim();
  if (timezone === '') problems.push({ field: 'timezone', message: 'choose a time zone from the list' });
  else if (timezone !== undefined) change.timezone = timezone;
  change.sendHour = wholeNumber(body.sendHour, 'sendHour', problems);
  change.paperCount = wholeNumber(body.paperCount, 'paperCount', problems);
  change.pauseDays = wholeNumber(body.pauseDays, 'pauseDays', problems);
  const cadence = body.cadence?.trim();
  if (cadence === 'daily' || cadence === 'weekly') change.cadence = cadence;
  else if (cadence !== undefined && cadence !== '')
    problems.push({ field: 'cadence', message: 'choose daily or weekly' });
  change.weekday = wholeNumber(body.weekday, 'weekday', problems);
  const checked = checkPreferences(change);
  if (!checked.ok) problems.push(...checked.problems);
  return problems.length > 0 || !checked.ok ? { ok: false, problems } : { ok: true, change: checked.change };
}

/** What the form shows after a failed post: exactly what the reader typed. */
export function formFromBody(body: Partial<ManageForm>, fallback: ManageForm): ManageForm {
  return {
    topics: body.topics ?? fallback.topics,
    timezone: body.timezone ?? fallback.timezone,
    sendHour: body.sendHour ?? fallback.sendHour,
    paperCount: body.paperCount ?? fallback.paperCount,
    pauseDays: body.pauseDays ?? fallback.pauseDays,
    cadence: body.cadence ?? fallback.cadence,
    weekday: body.weekday ?? fallback.weekday,
  };
}
