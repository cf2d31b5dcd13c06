// The jest fixtures, apart from the index: they import @jest/globals, which only loads inside jest.
export { useMoto } from './jest-moto';
