import { ConfigProvider } from 'antd';
import enUSAntd from 'antd/locale/en_US';
import zhCNAntd from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { ReactNode, createContext, useCallback, useContext, useMemo, useState } from 'react';
import { enUS } from './locales/en-US';
import { MessageKey, zhCN } from './locales/zh-CN';
import { setApiLanguage } from './services/api';
import { RUNTIME_THEME } from './theme';

export type Locale = 'zh-CN' | 'en-US';

const CATALOGUES: Record<Locale, Record<MessageKey, string>> = { 'zh-CN': zhCN, 'en-US': enUS };
const STORAGE_KEY = 'plt.locale';

export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

interface LocaleContextValue {
  locale: Locale;
  t: Translate;
  setLocale(locale: Locale): void;
}

const LocaleContext = createContext<LocaleContextValue | undefined>(undefined);

/** antd's locale, the console's catalogue and dayjs switch together; Chinese unless the user chose English. */
function applyLocale(locale: Locale): void {
  dayjs.locale(locale === 'zh-CN' ? 'zh-cn' : 'en');
  setApiLanguage(locale);
  document.documentElement.lang = locale;
}

export function LocaleProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(() => {
    const stored = localStorage.getItem(STORAGE_KEY);
    const initial: Locale = stored === 'en-US' ? 'en-US' : 'zh-CN';
    applyLocale(initial);
    return initial;
  });
  const setLocale = useCallback((next: Locale) => {
    localStorage.setItem(STORAGE_KEY, next);
    applyLocale(next);
    setLocaleState(next);
  }, []);
  const value = useMemo<LocaleContextValue>(() => {
    const catalogue = CATALOGUES[locale];
    const t: Translate = (key, values) =>
      (catalogue[key] ?? key).replace(/\{(\w+)\}/g, (_, name: string) =>
        String(values?.[name] ?? `{${name}}`),
      );
    return { locale, t, setLocale };
  }, [locale, setLocale]);
  return (
    <LocaleContext.Provider value={value}>
      <ConfigProvider
        locale={locale === 'zh-CN' ? zhCNAntd : enUSAntd}
        theme={RUNTIME_THEME}
        button={{ autoInsertSpace: false }}
      >
        {children}
      </ConfigProvider>
    </LocaleContext.Provider>
  );
}

export function useI18n(): LocaleContextValue {
  const value = useContext(LocaleContext);
  if (!value) throw new Error('useI18n outside LocaleProvider');
  return value;
}
