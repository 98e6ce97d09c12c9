/** SPEC L2: the documents whose holder may ask for a correction (a mainland ID's number fixes birth date and gender). */
export const CORRECTABLE: readonly string[] = ['hk_macao_permit', 'taiwan_permit', 'passport'];
