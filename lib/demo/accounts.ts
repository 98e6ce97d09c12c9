/** Demo accounts created on an empty development database and listed on the development sign-in page. */
export const DEMO_ACCOUNTS = [
  { phone: '13800000001', label: { zh: '居民陈先生（有家庭成员）', en: 'Resident Chen (with family)' } },
  { phone: '13800000002', label: { zh: '场所管理员（演示）', en: 'Venue admin (demo)' } },
  { phone: '13800000003', label: { zh: '检测员（演示）', en: 'Checker (demo)' } },
  { phone: '13800000004', label: { zh: '防疫管理员·天河区（演示）', en: 'Health official, Tianhe district (demo)' } },
  { phone: '13800000005', label: { zh: '居民林女士（共同监护）', en: 'Resident Lin (co-guardian)' } },
  { phone: '13800000006', label: { zh: '居民（红码演示）', en: 'Resident (red code demo)' } },
  { phone: '13800000007', label: { zh: '交通场站管理员', en: 'Station admin' } },
  { phone: '13800000008', label: { zh: '小区门岗管理员', en: 'Residential gate admin' } },
  { phone: '13800000009', label: { zh: '待审核检测员', en: 'Checker awaiting approval' } },
  { phone: '13800000010', label: { zh: '防疫管理员·全省（演示）', en: 'Health official, whole province (demo)' } },
] as const;
