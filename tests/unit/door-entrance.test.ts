import { describe, expect, it } from 'vitest';
import { chooseEntrance } from '@/lib/checkin/client/door-entrance';

const main = { id: 'm', name: null, isMain: true };
const east = { id: 'e', name: '东门', isMain: false };

describe('the entrance the scanner opens at', () => {
  it('the one remembered for the venue while it is open', () => {
    expect(chooseEntrance([main, east], 'e')).toEqual({ entrance: east, fellBack: false, remembered: true });
  });
  it('nothing remembered: the main entrance, and the scanner asks', () => {
    expect(chooseEntrance([main, east], null)).toEqual({ entrance: main, fellBack: false, remembered: false });
  });
  it('the remembered one was removed since: the main entrance, said once', () => {
    expect(chooseEntrance([main], 'e')).toEqual({ entrance: main, fellBack: true, remembered: true });
  });
  it('a context stored before entrances existed: none named (the server takes the main one)', () => {
    expect(chooseEntrance([], null).entrance).toBeNull();
  });
});
