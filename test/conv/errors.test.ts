// Bad input to the conv and pooling ops: each error starts with the op's name
// and names the argument and the shapes involved.
import { beforeAll, describe, expect, test } from 'vitest';
import { setup, wt } from '../autograd/gradcheck';

beforeAll(setup);

const x = () => wt.ones([2, 5, 5, 3]);
const f = () => wt.ones([3, 3, 3, 4]);

describe('conv2d bad input', () => {
  test('a kernel larger than the input with pad valid (fine with same)', () => {
    expect(() => wt.conv2d(x(), wt.ones([6, 2, 3, 1]), 1, 'valid')).toThrow(
      "conv2d: filter height 6 (dilation 1) spans 6 along an axis of size 5: larger than the input with pad 'valid'");
    expect(() => wt.conv2d(x(), wt.ones([3, 3, 3, 1]), 1, 'valid', 'NHWC', [1, 3])).toThrow(
      "conv2d: filter width 3 (dilation 3) spans 7 along an axis of size 5");
    expect(wt.conv2d(x(), wt.ones([6, 2, 3, 1]), 1, 'same').shape).toEqual([2, 5, 5, 1]);
  });

  test('wrong ranks', () => {
    expect(() => wt.conv2d(wt.ones([5, 5]), f(), 1, 'same')).toThrow('conv2d: x must have rank 4 (a batch of images) or 3 (one image), got shape [5,5]');
    expect(() => wt.conv2d(x(), wt.ones([3, 3, 3]), 1, 'same')).toThrow('conv2d: filter must have rank 4 [filterHeight, filterWidth, inChannels, outChannels], got shape [3,3,3]');
  });

  test('channel mismatch, in either data format', () => {
    expect(() => wt.conv2d(x(), wt.ones([3, 3, 2, 4]), 1, 'same')).toThrow(
      'conv2d: x has 3 input channels (shape [2,5,5,3], NHWC) but filter expects 2 (filter shape [3,3,2,4])');
    expect(() => wt.conv2d(x(), f(), 1, 'same', 'NCHW')).toThrow('conv2d: x has 5 input channels (shape [2,5,5,3], NCHW) but filter expects 3');
  });

  test('arguments', () => {
    expect(() => wt.conv2d('x' as never, f(), 1, 'same')).toThrow("conv2d: x must be a Tensor, got 'x'");
    expect(() => wt.conv2d(x(), wt.ones([3, 3, 3, 4], 'int32'), 1, 'same')).toThrow("conv2d: filter has dtype 'int32', expected 'float32'");
    expect(() => wt.conv2d(x(), f(), [1, 0] as never, 'same')).toThrow('conv2d: strides must be a positive integer or a pair [h, w] of them, got an array');
    expect(() => wt.conv2d(x(), f(), 1, 'full' as never)).toThrow("conv2d: pad must be 'valid' or 'same', got 'full'");
    expect(() => wt.conv2d(x(), f(), 1, 'same', 'NWHC' as never)).toThrow("conv2d: dataFormat must be 'NHWC' or 'NCHW', got 'NWHC'");
    expect(() => wt.conv2d(x(), f(), 2, 'same', 'NHWC', 2)).toThrow('conv2d: strides [2,2] and dilations [2,2] cannot both be greater than 1');
    const gone = x();
    gone.dispose();
    expect(() => wt.conv2d(gone, f(), 1, 'same')).toThrow(/^conv2d: x is a disposed tensor/);
  });
});

describe('pooling bad input', () => {
  for (const [name, op] of [['maxPool', wt.maxPool], ['avgPool', wt.avgPool]] as const) {
    test(name, () => {
      expect(() => op(x(), 6, 1, 'valid')).toThrow(`${name}: filterSize height 6 spans 6 along an axis of size 5: larger than the input with pad 'valid'`);
      expect(() => op(wt.ones([1, 2, 5, 5, 3]), 2, 2, 'valid')).toThrow(`${name}: x must have rank 4 (a batch of images) or 3 (one image), got shape [1,2,5,5,3]`);
      expect(() => op(x(), [2, 2, 2] as never, 2, 'valid')).toThrow(`${name}: filterSize must be a positive integer or a pair [h, w] of them`);
      expect(() => op(wt.ones([1, 4, 4, 1], 'int32'), 2, 2, 'valid')).toThrow(`${name}: x has dtype 'int32', expected 'float32'`);
      expect(op(x(), 6, 1, 'same').shape).toEqual([2, 5, 5, 3]);
    });
  }
});
