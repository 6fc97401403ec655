/** Built by vite.config.ts (antdStylesheet): antd's component styles with the console's theme. */
declare module 'virtual:antd.css';
