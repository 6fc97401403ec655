export { stopTestServices as default } from './global-setup';
