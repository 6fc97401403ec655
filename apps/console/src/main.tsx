// antd's component styles with the console's theme, built once by vite.config.ts (antdStylesheet).
import 'virtual:antd.css';
import { queryClient } from './query-client';
import { preloadPage } from './routes';

// The session, the page's code and its first read are asked for before React, antd and the
// layout (the App chunk) have arrived and run: they come side by side instead of one after
// the other (bench/README.md "console").
preloadPage(queryClient, window.location);
void import('./App').then(({ mountApp }) => mountApp(document.getElementById('root')!));
