// Express 4, installed as "express4" so that the shell is tested on both majors. Its API is the
// part of Express 5's that these tests use.
declare module 'express4' {
  import express from 'express';
  export default express;
}
