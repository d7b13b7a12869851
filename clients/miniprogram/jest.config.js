module.exports = {
  testEnvironment: 'jsdom',
  testMatch: ['<rootDir>/tests/**/*.test.js'],
  // miniprogram-simulate compiles WXML with its bundled wcc: give it time on
  // slow CI machines.
  testTimeout: 30000,
  collectCoverageFrom: ['miniprogram/**/*.js', '!miniprogram/miniprogram_npm/**'],
};
