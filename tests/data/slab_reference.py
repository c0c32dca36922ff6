#!/usr/bin/env python3
"""Independent reference values for wifiplan's slab coefficients (tests/materials.rs).

It does not use the P.2040 closed form that src/materials/slab.rs implements: it uses the
thin-film characteristic (transfer) matrix of a single homogeneous layer between two
vacuum half-spaces (Born & Wolf §1.6; Macleod, Thin-Film Optical Filters, ch. 2), with
N = sqrt(eta), eta = a f^b - j 17.98 c f^d / f (ITU-R P.2040-3 Table 3, f in GHz).

    python3 tests/data/slab_reference.py            # prints the tables pasted in the tests

Pure Python (cmath), no packages.
"""
import cmath
import math

ITU = {  # name: (a, b, c, d)
    "concrete": (5.24, 0.0, 0.0462, 0.7822),
    "brick": (3.91, 0.0, 0.0238, 0.16),
    "plasterboard": (2.73, 0.0, 0.0085, 0.9395),
    "wood": (1.99, 0.0, 0.0047, 1.0718),
    "glass": (6.31, 0.0, 0.0036, 1.3394),
    "metal": (1.0, 0.0, 1e7, 0.0),
}
C = 299792458.0


def eta(name, f_ghz):
    a, b, c, d = ITU[name]
    return complex(a * f_ghz ** b, -17.98 * c * f_ghz ** d / f_ghz)


def layer(eta_r, d_m, f_ghz, theta_deg, pol):
    """|R|^2 and |T|^2 of the layer by its characteristic matrix."""
    s = math.sin(math.radians(theta_deg))
    c0 = math.cos(math.radians(theta_deg))
    kz = cmath.sqrt(eta_r - s * s)          # N cos(theta_inside), Im <= 0 (Macleod: N = n - ik)
    if kz.imag > 0:
        kz = -kz
    if pol == "te":
        y0, y1 = c0, kz                      # tilted admittances, units of the vacuum admittance
    else:
        y0, y1 = 1.0 / c0, eta_r / kz
    delta = 2 * math.pi * f_ghz * 1e9 / C * d_m * kz
    m11, m12 = cmath.cos(delta), 1j * cmath.sin(delta) / y1
    m21, m22 = 1j * y1 * cmath.sin(delta), cmath.cos(delta)
    b = m11 + m12 * y0
    cc = m21 + m22 * y0
    r = (y0 * b - cc) / (y0 * b + cc)
    t = 2 * y0 / (y0 * b + cc)
    return abs(r) ** 2, abs(t) ** 2


def db(x):
    return 10 * math.log10(x) if x > 0 else float("-inf")


if __name__ == "__main__":
    print("// normal incidence: (material, thickness m, f GHz, |T|^2 dB, |R|^2 dB)")
    for name, d in [("concrete", 0.2), ("brick", 0.1), ("plasterboard", 0.0125), ("glass", 0.006), ("wood", 0.04)]:
        for f in (2.4, 5.5, 6.5):
            r, t = layer(eta(name, f), d, f, 0.0, "te")
            print(f'("{name}", {d}, {f}, {db(t):.4f}, {db(r):.4f}),')
    print("// oblique: (material, thickness m, f GHz, angle deg, |T_TE|^2 dB, |T_TM|^2 dB, |R_TE|^2 dB, |R_TM|^2 dB)")
    for name, d in [("concrete", 0.2), ("brick", 0.1), ("glass", 0.006), ("plasterboard", 0.0125)]:
        for f in (2.4, 5.5):
            for th in (30.0, 60.0, 80.0):
                rte, tte = layer(eta(name, f), d, f, th, "te")
                rtm, ttm = layer(eta(name, f), d, f, th, "tm")
                print(f'("{name}", {d}, {f}, {th}, {db(tte):.4f}, {db(ttm):.4f}, {db(rte):.4f}, {db(rtm):.4f}),')
    print("// concrete 0.2 m at 5.5 GHz: TM reflection minimum (Brewster) over 0.01 deg steps")
    best = min((layer(eta("concrete", 5.5), 0.2, 5.5, k / 100, "tm")[0], k / 100) for k in range(0, 8999))
    print(f"// angle {best[1]:.2f} deg, |R_TM|^2 {db(best[0]):.3f} dB")
