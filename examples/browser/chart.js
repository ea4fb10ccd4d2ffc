// A two-series line chart on a canvas: loss (left axis, 0..max seen) and
// accuracy (right axis, 0..1) against the training step. Redraws at most once
// per animation frame however often points arrive.
const LOSS = '#c0392b';
const ACC = '#1e7b34';
const GRID = '#d5d9e0';
const TEXT = '#4a5360';

export class LineChart {
  constructor(canvas) {
    this.canvas = canvas;
    this.loss = [];
    this.acc = [];
    this.pending = false;
    addEventListener('resize', () => this.draw());
  }

  push(loss, acc) {
    this.loss.push(loss);
    this.acc.push(acc);
    if (!this.pending) {
      this.pending = true;
      requestAnimationFrame(() => {
        this.pending = false;
        this.draw();
      });
    }
  }

  draw() {
    const { canvas } = this;
    // Match the canvas to its CSS size and the screen's pixel ratio: crisp text on a phone too.
    const dpr = globalThis.devicePixelRatio || 1;
    const w = canvas.clientWidth || 640;
    const h = Math.round(w * 0.4);
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
    const ctx = canvas.getContext('2d');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const pad = { l: 44, r: 44, t: 12, b: 28 };
    const pw = w - pad.l - pad.r;
    const ph = h - pad.t - pad.b;
    const n = this.loss.length;
    const maxLoss = Math.max(0.5, ...this.loss.slice(-5000));
    ctx.clearRect(0, 0, w, h);
    ctx.font = '12px system-ui, sans-serif';
    ctx.lineWidth = 1;
    for (let i = 0; i <= 4; i++) {
      const y = pad.t + (ph * i) / 4;
      ctx.strokeStyle = GRID;
      ctx.beginPath();
      ctx.moveTo(pad.l, y);
      ctx.lineTo(w - pad.r, y);
      ctx.stroke();
      ctx.fillStyle = LOSS;
      ctx.textAlign = 'right';
      ctx.fillText((maxLoss * (1 - i / 4)).toFixed(2), pad.l - 6, y + 4);
      ctx.fillStyle = ACC;
      ctx.textAlign = 'left';
      ctx.fillText((1 - i / 4).toFixed(2), w - pad.r + 6, y + 4);
    }
    ctx.fillStyle = TEXT;
    ctx.textAlign = 'center';
    ctx.fillText(n === 0 ? 'step' : `step (${n})`, pad.l + pw / 2, h - 8);
    const line = (values, max, color) => {
      if (values.length < 2) return;
      ctx.strokeStyle = color;
      ctx.lineWidth = 2;
      ctx.beginPath();
      values.forEach((v, i) => {
        const x = pad.l + (pw * i) / (values.length - 1);
        const y = pad.t + ph * (1 - Math.min(v, max) / max);
        if (i === 0) ctx.moveTo(x, y);
        else ctx.lineTo(x, y);
      });
      ctx.stroke();
    };
    line(this.loss, maxLoss, LOSS);
    line(this.acc, 1, ACC);
    if (n > 0) {
      canvas.setAttribute('aria-label',
        `Training chart, ${n} steps: loss ${this.loss[n - 1].toFixed(3)}, accuracy ${this.acc[n - 1].toFixed(3)}`);
    }
  }
}
