export { parseStatement } from './parse-statement.js';
