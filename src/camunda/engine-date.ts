// Camunda's REST date format is `yyyy-MM-dd'T'HH:mm:ss.SSSZ` (offset without a colon, e.g. +0000).

export function toEngineDate(date: Date): string {
  return date.toISOString().replace('Z', '+0000');
}

export function fromEngineDate(value: string): Date;
export function fromEngineDate(value: string | null | undefined): Date | null;
export function fromEngineDate(value: string | null | undefined): Date | null {
  if (value === null || value === undefined) return null;
  const withColon = value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const date = new Date(withColon);
  if (Number.isNaN(date.getTime())) throw new Error(`Unparseable engine date: ${value}`);
  return date;
}
