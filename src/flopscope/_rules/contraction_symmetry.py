"""The symmetry of a contraction: which relabellings of its indices leave it unchanged.

A contraction step multiplies some tensors and sums some indices. Its inputs are built
from *factors*: the original operands, each with a *class* (operands that are one array
share a class) and the group its data is declared (or known) symmetric under. A
relabelling ``pi`` of the indices is a symmetry of a set ``U`` of factors when it sends
every factor onto a factor of the same class, up to that class's group: ``pi`` applied
to the factor's subscripts gives another factor's subscripts permuted by an element of
the group. The product of the factors, summed over any set of indices that ``pi`` maps
onto itself, is then unchanged by ``pi``.

Costs (multiply-adds). A step over the indices ``V`` (the union of its inputs') with
result indices ``R``, contracting the factors ``U``, is priced the cheaper of two ways of
computing it (:func:`step_cost`):

* **distinct products**: one product per *orbit* of its symmetry group on the index
  tuples of ``V``: equal products, landing in output entries that are copies of each
  other, are computed once. Its group ``H`` is every symmetry of ``U`` that maps ``R``
  onto ``R`` and ``V`` onto ``V``;
* **distinct output entries**: only one entry of each orbit of the output's group (the
  symmetries of ``U`` that map ``R`` onto ``R``, restricted to ``R``), each a sum over
  all the summed indices: ``orbits(R) * prod(dims of V - R)``. This counts what the
  first misses when the symmetry of the output needs a relabelling of summed indices
  (``S S S`` for a symmetric ``S``: its last step's output is symmetric, its products
  are not).

Orbits are counted by Burnside's lemma (:func:`step_orbits`),

    orbits = (1 / |H|) * sum over pi in H of prod over the cycles c of pi of dim(c).

With no symmetry the price is ``prod(dims of V)``, the dense loop nest; for
``'ij,ik->jk'`` on one ``n x m`` array it is ``n * m (m + 1) / 2``. The result of the whole
contraction is symmetric under the restriction of the symmetries of all factors to the
output (:func:`output_group`).

Everything here is a function of index strings, sizes and groups: no array is read.
The search is bounded: past :data:`SEARCH_LIMIT` partial relabellings it gives up and
reports only the identity, so an unusually symmetric contraction is priced densely
(never below its true cost).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

__all__ = ["SEARCH_LIMIT", "Factor", "output_group", "step_cost", "step_orbits", "symmetries"]

#: the most partial relabellings one search explores before settling for the identity
SEARCH_LIMIT = 200_000

Perm = tuple[int, ...]
#: (class, subscripts, the elements of the class's group, or None for the trivial group)
Factor = tuple[int, str, tuple[Perm, ...] | None]


@lru_cache(maxsize=4096)
def symmetries(
    factors: tuple[Factor, ...], dims: tuple[tuple[str, int], ...], result: str
) -> tuple[dict[str, str], ...]:
    """Every relabelling of the indices of ``factors`` that sends the factors onto
    themselves (as the module describes), keeps each index's size and maps the indices
    of ``result`` onto themselves; each as a dict index -> image. The identity alone when
    nothing else qualifies, or when the search passes :data:`SEARCH_LIMIT`."""
    size = dict(dims)
    labels = "".join(dict.fromkeys("".join(term for _, term, _ in factors)))
    identity = {c: c for c in labels}
    if not _may_move(factors):
        return (identity,)
    kept = frozenset(result)
    # an index may only go to one of the same size and the same side (kept or summed)
    colour = {c: (size[c], c in kept) for c in labels}
    # a factor goes to a factor of its class, up to the group; factors of one class and
    # one subscripts string are interchangeable, so each distinct one is a target once,
    # with a count of how many remain
    targets: dict[int, dict[str, int]] = {}
    for cls, term, _ in factors:
        counts = targets.setdefault(cls, {})
        counts[term] = counts.get(term, 0) + 1

    def ways(i: int) -> int:
        cls, _, elements = factors[i]
        return len(targets[cls]) * (len(elements) if elements else 1)

    # factors with the fewest ways to be mapped first: a lone factor with no group is
    # fixed, and fixes its indices, which prunes the rest
    order = sorted(range(len(factors)), key=ways)
    # one relabelling can come from several matchings (factors related by their group,
    # subscripts repeating an index): each is kept once, as Burnside's count needs
    found: dict[tuple[str, ...], dict[str, str]] = {}
    image: dict[str, str] = {}
    taken: set[str] = set()
    budget = [SEARCH_LIMIT]

    def extend(depth: int) -> bool:
        """Place factor ``order[depth]`` and everything after; False when over budget."""
        if depth == len(order):
            key = tuple(image[c] for c in labels)
            if key not in found:
                found[key] = dict(image)
            return True
        i = order[depth]
        cls, term, elements = factors[i]
        remaining = targets[cls]
        for target, left in remaining.items():
            if not left:
                continue
            for g in elements or ((*range(len(term)),),):
                budget[0] -= 1
                if budget[0] < 0:
                    return False
                added: list[str] = []
                ok = True
                for k, c in enumerate(term):
                    d = target[g[k]]
                    seen = image.get(c)
                    if seen is None:
                        if d in taken or colour[c] != colour[d]:
                            ok = False
                            break
                        image[c] = d
                        taken.add(d)
                        added.append(c)
                    elif seen != d:
                        ok = False
                        break
                if ok:
                    remaining[target] = left - 1
                    if not extend(depth + 1):
                        return False
                    remaining[target] = left
                for c in added:
                    taken.discard(image.pop(c))
        return True

    if not extend(0) or not found:
        return (identity,)
    return tuple(found.values())


def _may_move(factors: Sequence[Factor]) -> bool:
    """Whether anything but the identity could qualify: some factor has a group, or two
    factors are one array."""
    classes = set()
    for cls, _, elements in factors:
        if elements is not None and len(elements) > 1:
            return True
        if cls in classes:
            return True
        classes.add(cls)
    return False


def step_orbits(relabellings: Sequence[dict[str, str]], involved: str, dims: dict[str, int]) -> int:
    """The orbits, on the index tuples of ``involved``, of the relabellings (from
    :func:`symmetries`) that map ``involved`` onto itself: Burnside's count, the
    products a step over those indices computes."""
    total = 0
    count = 0
    inside = set(involved)
    for pi in relabellings:
        fixed = 1
        stays = True
        seen: set[str] = set()
        for c in involved:
            if c in seen:
                continue
            # the cycle of c; it must stay inside the step's indices
            d = c
            while True:
                seen.add(d)
                d = pi[d]
                if d not in inside:
                    stays = False
                    break
                if d == c:
                    break
            if not stays:
                break
            fixed *= dims[c]
        if stays:
            total += fixed
            count += 1
    return total // count


def step_cost(
    relabellings: Sequence[dict[str, str]], involved: str, result: str, dims: dict[str, int]
) -> int:
    """The multiply-adds of a step over ``involved`` into ``result``, given the
    symmetries of its factors that map ``result`` onto itself: the cheaper of its
    distinct products (orbits on ``involved``) and its distinct output entries, each
    summed in full (orbits on ``result`` times the summed extent)."""
    products = step_orbits(relabellings, involved, dims)
    summed = 1
    for c in involved:
        if c not in result:
            summed *= dims[c]
    if summed == 1 or not result:
        return products
    return min(products, step_orbits(relabellings, result, dims) * summed)


def output_group(relabellings: Sequence[dict[str, str]], result: str) -> frozenset[Perm]:
    """The relabellings restricted to ``result`` (which each maps onto itself), as
    permutations of its axes: ``p[a] = b`` when axis ``a``'s index goes to axis ``b``'s."""
    position = {c: a for a, c in enumerate(result)}
    return frozenset(tuple(position[pi[c]] for c in result) for pi in relabellings)
