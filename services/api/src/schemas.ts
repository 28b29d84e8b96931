import { Type } from 'typebox';

/** Every error the API answers has this shape (see errors.ts). */
export const ErrorSchema = Type.Object({ error: Type.String(), message: Type.String() });
