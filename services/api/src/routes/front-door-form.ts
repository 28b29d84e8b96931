import { Type } from 'typebox';
import { type CheckedSignup, checkSignup, type SignupFields, type SignupProblem } from '../signup.ts';

/** The front-door form as browsers post it: every field is text. Bounds only stop abuse; people get messages. */
export const FrontDoorBody = Type.Object(
  {
    email: Type.Optional(Type.String({ maxLength: 1000 })),
    topics: Type.Optional(Type.String({ maxLength: 4000 })),
    timezone: Type.Optional(Type.String({ maxLength: 100 })),
    sendHour: Type.Optional(Type.String({ maxLength: 10 })),
    cadence: Type.Optional(Type.String({ maxLength: 10 })),
    weekday: Type.Optional(Type.String({ maxLength: 10 })),
  },
  { additionalProperties: false },
);

/** What the form shows: defaults, or exactly what the reader typed when something needs fixing. */
export interface FrontDoorForm {
  email: string;
  topics: string;
  timezone: string;
  sendHour: string;
  cadence: string;
  weekday: string;
}

export const DEFAULT_FORM: FrontDoorForm = {
  email: '',
  topics: '',
  timezone: 'UTC',
  sendHour: '8',
  cadence: 'daily',
  weekday: '1',
};

// Said beside the field, to a person: the API's wording ("is not a valid …") reads as a fragment.
const EMAIL_MESSAGE = 'Enter your email address, like name@example.org';

function wholeNumber(raw: string | undefined, field: SignupProblem['field'], problems: SignupProblem[]) {
  const value = raw?.trim() ?? '';
  if (value === '') return undefined;
  if (/^\d{1,2}$/.test(value)) return Number(value);
  problems.push({ field, message: 'must be a whole number' });
  return undefined;
}

/**
 * Turns the posted text into the same typed sign-up the JSON API takes and checks it with the
 * same checks, so both doors accept and refuse exactly the same sign-ups.
 */
export function readFrontDoorForm(body: Partial<FrontDoorForm>): CheckedSignup {
  const problems: SignupProblem[] = [];
  const email = body.email?.trim() ?? '';
  if (email === '') problems.push({ field: 'email', message: EMAIL_MESSAGE });
  const fields: SignupFields = { email };
  if (body.topics !== undefined) fields.topics = body.topics.split(/[,;\n]/);
  const timezone = body.timezone?.trim();
  if (timezone === '') problems.push({ field: 'timezone', message: 'choose a time zone from the list' });
  else if (timezone !== undefined) fields.timezone = timezone;
  fields.sendHour = wholeNumber(body.sendHour, 'sendHour', problems);
  const cadence = body.cadence ?? 'daily';
  if (cadence === 'daily' || cadence === 'weekly') fields.cadence = cadence;
  else problems.push({ field: 'cadence', message: 'choose daily or weekly' });
  // The weekday matters only for a weekly digest; a daily reader's weekday menu is ignored.
  if (cadence === 'weekly') fields.weekday = wholeNumber(body.weekday, 'weekday', problems);
  const checked = checkSignup(fields);
  if (checked.ok && problems.length === 0) return checked;
  const all = [...problems, ...(checked.ok ? [] : checked.problems)].map((problem) =>
    problem.field === 'email' && problem.message !== EMAIL_MESSAGE
      ? { ...problem, message: EMAIL_MESSAGE }
      : problem,
  );
  // One message per field: the first thing to fix.
  const firsts = all.filter(
    (problem, index) => all.findIndex((other) => other.field === problem.field) === index,
  );
  return { ok: false, problems: firsts };
}

/** The form as it was posted, for showing it again. */
export function formFromBody(body: Partial<FrontDoorForm>): FrontDoorForm {
  return {
    ...DEFAULT_FORM,
    ...Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined)),
  };
}
