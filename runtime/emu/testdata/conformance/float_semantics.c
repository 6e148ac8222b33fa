/* IEEE floating point as x86-64 does it (SSE, no excess precision):
 * float operations round to single precision at every step, infinities
 * and NaNs from division by zero compare as IEEE says, signed zeros,
 * and float arguments are promoted to double in variadic calls. */
#include <stdio.h>
#include <string.h>
#include <stdint.h>

static float fmul(float a, float b) { return a * b; }
static float fsum(const float *v, int n)
{
	float s = 0;
	for (int i = 0; i < n; i++)
		s += v[i];
	return s;
}

static uint32_t fbits(float f)
{
	uint32_t u;
	memcpy(&u, &f, sizeof u);
	return u;
}

static uint64_t dbits(double d)
{
	uint64_t u;
	memcpy(&u, &d, sizeof u);
	return u;
}

struct sample {
	float f;
	double d;
	float arr[3];
};

int main(void)
{
	float a = 16777216.0f, one = 1.0f;
	printf("2^24+1 in float: %.1f (bits %08x)\n", (double)(a + one), fbits(a + one));
	float third = 1.0f / 3.0f;
	printf("1/3 float bits=%08x as double=%.17g\n", fbits(third), (double)third);
	printf("float product bits=%08x double product=%.17g\n", fbits(fmul(third, 3.0f)), (double)third * 3.0);
	float v[] = {0.1f, 0.2f, 0.3f, 0.4f, 1e8f, -1e8f};
	printf("fsum bits=%08x\n", fbits(fsum(v, 6)));
	float big = 3.4e38f;
	float inf = big * 10.0f;
	printf("overflow to inf: %d bits=%08x\n", inf > big, fbits(inf));
	double zero = 0.0, pz = 0.0, nz = -0.0;
	double pinf = 1.0 / zero, ninf = -1.0 / zero, nan = zero / zero;
	printf("inf=%f -inf=%f nan sign ignored, isnan=%d\n", pinf, ninf, nan != nan);
	printf("comparisons with nan: %d %d %d %d %d\n", nan < 1, nan > 1, nan == nan, nan != nan, !(nan >= nan));
	printf("inf arithmetic: %f %f %d\n", pinf + 1, pinf * -2, pinf - pinf != pinf - pinf);
	printf("signed zeros equal=%d bits %016llx %016llx 1/nz=%f\n", pz == nz, (unsigned long long)dbits(pz), (unsigned long long)dbits(nz), 1.0 / nz);
	printf("tiny: %g %g\n", 4.9406564584124654e-324, 4.9406564584124654e-324 / 2);
	double d = 0.1;
	float f = (float)d;
	printf("double->float->double: %.17g\n", (double)f);
	printf("varargs float promoted: %f %e\n", f, 1.5f);
	printf("conversions: %d %u %ld %d\n", (int)2.999f, (unsigned)4e9f, (long)-1.5e10, (int)(float)16777217);
	float fi = 123456789;
	printf("int->float rounding: %.1f\n", (double)fi);
	struct sample s = {1.5f, 2.25, {0.5f, -0.25f, 8.0f}};
	struct sample t = s;
	t.arr[1] *= 4;
	printf("struct floats: %.2f %.2f %.2f %.2f %.2f\n", (double)t.f, t.d, (double)t.arr[0], (double)t.arr[1], (double)s.arr[1]);
	double acc = 0;
	for (int i = 1; i <= 1000; i++)
		acc += 1.0 / ((double)i * i);
	printf("basel partial=%.15f\n", acc);
	float facc = 0;
	for (int i = 1; i <= 1000; i++)
		facc += 1.0f / ((float)i * i);
	printf("basel float partial bits=%08x\n", fbits(facc));
	printf("mixed float/double: %.17g\n", third + 0.1);
	printf("compare float/double: %d %d\n", 0.1f == 0.1, 0.5f == 0.5);
	return 0;
}
