import type { ThemeConfig } from 'antd';

/**
 * The console's antd theme. vite.config.ts renders every antd component with it at build time
 * into one stylesheet (`virtual:antd.css`), so the browser does not generate the components'
 * CSS while it draws the first page.
 */
export const THEME = {
  // antd's default blue (#1677ff) is 4.1:1 against white; this one passes WCAG AA for text.
  token: {
    colorPrimary: '#0b57d0',
    colorLink: '#0b57d0',
    // The derived hover blue is too light for text on white (a hovered button's label).
    colorPrimaryHover: '#0842a0',
    colorLinkHover: '#0842a0',
    colorTextDescription: 'rgba(0, 0, 0, 0.62)',
    colorTextPlaceholder: 'rgba(0, 0, 0, 0.6)',
    // a pressed button stays AA too
    colorPrimaryActive: '#062e70',
    // antd's red (#ff4d4f) is 3.3:1 on white: danger buttons (terminate, void) and errors need AA
    colorError: '#c41d1d',
    colorErrorHover: '#a8071a',
    colorErrorActive: '#820014',
  },
} satisfies ThemeConfig;

/** What the app runs with: the same tokens, no styles generated at run time (they are in the stylesheet). */
export const RUNTIME_THEME: ThemeConfig = { ...THEME, zeroRuntime: true };

/**
 * antd components left out of the stylesheet: antd 6's Tour style has a malformed selector that
 * the CSS minifier warns about on every build. The console does not use it (theme.unit.spec.ts
 * fails if a page imports it).
 */
export const NOT_IN_STYLESHEET = ['Tour'];
