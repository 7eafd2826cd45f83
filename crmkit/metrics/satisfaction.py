"""Satisfaction metrics: NPS, CSAT, driver weights and touchpoint perception.

Source 000 splits satisfaction into four components (product, peripheral,
atmosphere, psychological); :func:`satisfaction_drivers` estimates how much
each one weighs in overall satisfaction. Source 003 warns that a survey
measures *perception*, which can differ from the company's internal
indicators; :func:`touchpoint_satisfaction` puts the two side by side for
every touchpoint, front office and back office. The satisfaction explorer
widget compares the estimate with weights of your own: :func:`survey_filters`
(the subsets of answers it offers), :func:`driver_fit` (the estimated weights
and their predictions), :func:`what_if_weights` (your weights' predictions) and
:func:`spread_by_answer` (the predictions for each actual answer).

All functions are pure: the input tables are never modified.
"""

from __future__ import annotations

import numbers
import warnings

import numpy as np
import pandas as pd

from crmkit import concepts
from crmkit._checks import check_choice, check_frame, check_scores

__all__ = [
    "satisfaction_band",
    "nps",
    "nps_table",
    "csat",
    "satisfaction_drivers",
    "driver_weights",
    "touchpoint_satisfaction",
    "survey_filters",
    "driver_fit",
    "what_if_weights",
    "spread_by_answer",
]

COMPONENTS = concepts.keys(concepts.SATISFACTION_COMPONENTS)
#: Smallest subset of answers `survey_filters` offers (four weights to estimate).
MIN_ANSWERS = 30
_PROMOTER, _DETRACTOR = concepts.PROMOTER_MIN, concepts.DETRACTOR_MAX
_TOUCHPOINT_OFFICE = {t.key: t.group for t in concepts.TOUCHPOINTS}
#: Internal indicators of touchpoint_satisfaction, and the sign that makes "higher = better".
_INTERNAL_SIGN = {"complaint_share": -1.0, "share_resolved": 1.0, "median_resolution_hours": -1.0}


# --------------------------------------------------------------------------- helpers
def _nps_of(arr):
    return float(100.0 * ((arr >= _PROMOTER).mean() - (arr <= _DETRACTOR).mean()))


def _group_keys(by, func):
    if by is None:
        return []
    if isinstance(by, str):
        return [by]
    if isinstance(by, list | tuple) and all(isinstance(b, str) for b in by):
        return list(by)
    raise TypeError(
        f"{func}: `by` must be a column name or a list of column names, got {type(by).__name__}."
    )


# --------------------------------------------------------------------------- bands
def satisfaction_band(scores, *, overall_col="overall") -> pd.Series:
    """The band of each overall-satisfaction answer (1-7), as `crmkit.concepts` defines it.

    Parameters
    ----------
    scores : array-like, Series or DataFrame
        Overall satisfaction on the 1-7 scale (whole numbers or means; a mean
        is put in the band of its nearest answer, 5.5 and up counting as 6), or
        a surveys table holding it in ``overall_col``. Missing values stay
        missing.
    overall_col : str, default="overall"
        Column of the answers when ``scores`` is a DataFrame.

    Returns
    -------
    pandas.Series
        Ordered categorical of the keys of `crmkit.concepts.SATISFACTION_BANDS`
        (``dissatisfied`` < ``satisfied`` < ``exceeded``), with the index of
        ``scores`` when it has one.

    Examples
    --------
    >>> satisfaction_band([3, 5, 6, 7]).tolist()
    ['dissatisfied', 'dissatisfied', 'satisfied', 'exceeded']
    """
    func = "satisfaction_band"
    if isinstance(scores, pd.DataFrame):
        check_frame(scores, func, "scores", {overall_col: "overall_col"})
        scores = scores[overall_col]
    index = scores.index if isinstance(scores, pd.Series) else None
    values = pd.to_numeric(pd.Series(np.asarray(scores, dtype=float), index=index))
    bad = values.notna() & ((values < 1) | (values > 7))
    if bad.any():
        raise ValueError(f"{func}: answers must be on the 1-7 scale; got {values[bad].iloc[0]:g}.")
    bands = concepts.SATISFACTION_BANDS
    edges = [bands[0].low - 0.5] + [b.high + 0.5 for b in bands]
    dtype = pd.CategoricalDtype([b.key for b in bands], ordered=True)
    out = pd.cut(values, edges, right=False, labels=[b.key for b in bands])
    return out.astype(dtype).rename(getattr(scores, "name", None))


# --------------------------------------------------------------------------- NPS / CSAT
def nps(scores, *, nps_col="nps") -> float:
    """Net Promoter Score: share of promoters (9-10) minus share of detractors (0-6), x 100.

    Parameters
    ----------
    scores : array-like, Series or DataFrame
        Answers on the 0-10 "how likely are you to recommend us" scale, or a
        surveys table holding them in ``nps_col``.
    nps_col : str, default="nps"
        Column of the answers when ``scores`` is a DataFrame.

    Returns
    -------
    float
        NPS between -100 (all detractors) and 100 (all promoters).

    Examples
    --------
    >>> nps([10, 9, 8, 7, 6, 0])
    0.0
    >>> import crmkit
    >>> w = crmkit.make_world(300, random_state=0)
    >>> -100 <= nps(w.surveys) <= 100
    True
    """
    return _nps_of(check_scores(scores, "nps", nps_col, "nps_col", low=0, high=10))


def nps_table(surveys, *, by=None, nps_col="nps") -> pd.DataFrame:
    """Promoters, passives, detractors and NPS, overall or per group.

    Parameters
    ----------
    surveys : DataFrame
        One row per answer (such as ``world.surveys``).
    by : str or list of str, optional
        Column(s) to group by, such as ``"touchpoint"`` or ``"method"``.
        Without it the table has one row for all answers.
    nps_col : str, default="nps"
        Column of the 0-10 answers.

    Returns
    -------
    DataFrame
        The ``by`` columns (if any), then ``n``, ``promoters``, ``passives``,
        ``detractors`` (shares in [0, 1], summing to 1) and ``nps`` (in
        [-100, 100]). One row per group found, sorted by value; answers with
        a missing group value are left out (with a warning).

    Warns
    -----
    UserWarning
        When answers are left out because a ``by`` column is missing for them
        (relationship surveys, for instance, rate no touchpoint); the warning
        gives their number. Drop them first to silence it, or give them a
        value of their own to keep them as a group.

    Notes
    -----
    nps_table does not know which groups are valid: every value found in the
    ``by`` columns is a group, so a misspelt value (``"emial"``) gets a row of
    its own, where it is easy to see. A categorical column is the way to fix
    the valid values: a value outside its categories cannot be stored (pandas
    3 makes it a missing value when the column is made, which is counted in the
    warning above; later versions refuse it). Categories without answers have
    no row.

    Examples
    --------
    >>> import pandas as pd
    >>> nps_table(pd.DataFrame({"nps": [10, 9, 8, 7, 6, 0]}))
       n  promoters  passives  detractors  nps
    0  6   0.333333  0.333333    0.333333  0.0
    """
    func = "nps_table"
    keys = _group_keys(by, func)
    check_frame(surveys, func, "surveys", {nps_col: "nps_col", **{k: "by" for k in keys}})
    arr = check_scores(surveys[nps_col], func, nps_col, "nps_col", low=0, high=10)
    if keys:
        no_group = surveys[keys].isna().any(axis=1)
        if no_group.any():
            named = " or ".join(repr(k) for k in keys)
            example = next(k for k in keys if surveys[k].isna().any())
            categorical = [k for k in keys if isinstance(surveys[k].dtype, pd.CategoricalDtype)]
            note = (
                f" (in a categorical column such as {categorical[0]!r}, a value outside "
                "its categories is missing too)"
                if categorical
                else ""
            )
            warnings.warn(
                f"{func}: {int(no_group.sum())} of {len(surveys)} answers have no {named} "
                f"(`by`){note} and are left out of the table. Drop them first to silence "
                f"this warning, e.g. surveys.dropna(subset={keys!r}), or give them a value "
                f"of their own to keep them, e.g. "
                f"surveys[{example!r}].astype('string').fillna('none').",
                stacklevel=2,
            )
    frame = pd.DataFrame(
        {
            **{k: surveys[k].to_numpy() for k in keys},
            "promoters": arr >= _PROMOTER,
            "passives": (arr > _DETRACTOR) & (arr < _PROMOTER),
            "detractors": arr <= _DETRACTOR,
        }
    )
    shares = ["promoters", "passives", "detractors"]
    if keys:
        grouped = frame.groupby(keys, observed=True, sort=True)
        out = grouped[shares].mean()
        out.insert(0, "n", grouped.size())
        out = out.reset_index()
    else:
        out = frame[shares].mean().to_frame().T
        out.insert(0, "n", len(frame))
    out["nps"] = 100.0 * (out["promoters"] - out["detractors"])
    return out[[*keys, "n", *shares, "nps"]]


def csat(scores, *, threshold=concepts.SATISFIED_MIN, overall_col="overall") -> float:
    """Customer satisfaction score: the share of answers at or above ``threshold`` (1-7 scale).

    Parameters
    ----------
    scores : array-like, Series or DataFrame
        Overall satisfaction on the 1-7 scale, or a surveys table holding it
        in ``overall_col``.
    threshold : int, default=6
        Lowest answer counted as "satisfied": by default
        `crmkit.concepts.SATISFIED_MIN`, so the bands ``satisfied`` (6) and
        ``exceeded`` (7) of `crmkit.concepts.SATISFACTION_BANDS`.
    overall_col : str, default="overall"
        Column of the answers when ``scores`` is a DataFrame.

    Returns
    -------
    float
        Share in [0, 1].

    Examples
    --------
    >>> csat([7, 6, 5, 4])
    0.5
    >>> csat([7, 6, 5, 4], threshold=5)
    0.75
    """
    func = "csat"
    if isinstance(threshold, bool) or not isinstance(threshold, numbers.Real):
        raise TypeError(f"{func}: `threshold` must be a number, got {type(threshold).__name__}.")
    if not 1 <= threshold <= 7:
        raise ValueError(f"{func}: `threshold` must be on the 1-7 scale; got {threshold}.")
    arr = check_scores(scores, func, overall_col, "overall_col", low=1, high=7)
    return float((arr >= threshold).mean())


# --------------------------------------------------------------------------- drivers
def _driver_inputs(surveys, components, target, func):
    if isinstance(components, str):
        raise TypeError(
            f"{func}: `components` must be a list of column names such as "
            f"{list(COMPONENTS)}, got the single string {components!r}."
        )
    components = list(components)
    if not components:
        raise ValueError(f"{func}: `components` is empty; name at least one column.")
    check_frame(
        surveys, func, "surveys", {**{c: "components" for c in components}, target: "target"}
    )
    data = surveys[[*components, target]]
    for col in data.columns:
        if not pd.api.types.is_numeric_dtype(data[col]) or data[col].dtype == bool:
            raise TypeError(
                f"{func}: column {col!r} must hold numbers (survey answers); "
                f"got dtype {data[col].dtype}."
            )
    values = data.to_numpy(dtype=float, na_value=np.nan)
    values = values[~np.isnan(values).any(axis=1)]
    if len(values) <= len(components) + 1:
        raise ValueError(
            f"{func}: need more complete answers than coefficients to estimate "
            f"({len(components) + 1}); got {len(values)} complete row(s)."
        )
    X = np.column_stack([np.ones(len(values)), values[:, :-1]])
    return components, X, values[:, -1]


def driver_weights(surveys, *, components=COMPONENTS, target="overall") -> pd.Series:
    """Fast OLS weights of the satisfaction components (the widget's path).

    The same weights as the ``weight`` column of :func:`satisfaction_drivers`,
    without standard errors.

    Parameters
    ----------
    surveys : DataFrame
        Survey answers, one row per response.
    components : sequence of str, default=("product", "peripheral", "atmosphere", "psychological")
        Columns of the component answers.
    target : str, default="overall"
        Column of the overall answer.

    Returns
    -------
    Series
        One weight per component (index: component), named ``weight``.

    Examples
    --------
    >>> import crmkit
    >>> w = crmkit.make_world(500, random_state=0)
    >>> driver_weights(w.surveys).round(1).index.tolist()
    ['product', 'peripheral', 'atmosphere', 'psychological']
    """
    components, X, y = _driver_inputs(surveys, components, target, "driver_weights")
    beta = np.linalg.lstsq(X, y, rcond=None)[0]
    return pd.Series(beta[1:], index=pd.Index(components, name="component"), name="weight")


def satisfaction_drivers(
    surveys, *, components=COMPONENTS, target="overall", truth=None
) -> pd.DataFrame:
    """How much each satisfaction component weighs in overall satisfaction (OLS).

    Regresses ``target`` on the components with an intercept, by ordinary
    least squares. On a world from :func:`crmkit.make_world` the weights
    estimate ``world.truth["component_weights"]``.

    Parameters
    ----------
    surveys : DataFrame
        Survey answers, one row per response; rows with a missing value in
        any used column are left out.
    components : sequence of str, default=("product", "peripheral", "atmosphere", "psychological")
        Columns of the component answers (source 000's four components).
    target : str, default="overall"
        Column of the overall answer.
    truth : dict, Series or World.truth, optional
        The true weights, to compare: ``world.truth`` (its
        ``"component_weights"`` is used) or a mapping component -> weight.

    Returns
    -------
    DataFrame
        One row per component: ``component``, ``name`` (display name),
        ``weight`` (change in ``target`` per point of the component),
        ``std_error``, ``ci_low``, ``ci_high`` (95%), ``standardised_weight``
        (weight x sd of the component / sd of the target: comparable across
        components on different spreads), and with ``truth`` also
        ``true_weight`` and ``error`` (weight - true_weight). ``attrs`` holds
        ``intercept``, ``r_squared`` and ``n``.

    Examples
    --------
    >>> import crmkit
    >>> w = crmkit.make_world(2000, random_state=0)
    >>> d = satisfaction_drivers(w.surveys, truth=w.truth)
    >>> bool((d["error"].abs() < 0.05).all())
    True
    """
    func = "satisfaction_drivers"
    components, X, y = _driver_inputs(surveys, components, target, func)
    n, k = X.shape
    beta, *_ = np.linalg.lstsq(X, y, rcond=None)
    resid = y - X @ beta
    dof = n - k
    sigma2 = float(resid @ resid) / dof
    xtx_inv = np.linalg.pinv(X.T @ X)
    se = np.sqrt(np.clip(np.diag(xtx_inv) * sigma2, 0, None))
    sd_x = X[:, 1:].std(axis=0, ddof=1)
    sd_y = y.std(ddof=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        std_w = beta[1:] * sd_x / sd_y if sd_y > 0 else np.full(k - 1, np.nan)
    names = concepts.labels(concepts.SATISFACTION_COMPONENTS)
    out = pd.DataFrame(
        {
            "component": components,
            "name": [names.get(c, c) for c in components],
            "weight": beta[1:],
            "std_error": se[1:],
            "ci_low": beta[1:] - 1.96 * se[1:],
            "ci_high": beta[1:] + 1.96 * se[1:],
            "standardised_weight": std_w,
        }
    )
    if truth is not None:
        true = true_component_weights(truth, components, func)
        out["true_weight"] = true
        out["error"] = out["weight"] - out["true_weight"]
    tss = float(((y - y.mean()) ** 2).sum())
    out.attrs.update(
        intercept=float(beta[0]),
        r_squared=float(1 - (resid @ resid) / tss) if tss > 0 else float("nan"),
        n=int(n),
    )
    return out


def true_component_weights(truth, components, func):
    """The true weights of ``components`` from ``truth``, as a float array.

    ``truth`` is ``world.truth`` (its ``"component_weights"``) or a mapping /
    Series component -> weight; ``func`` names the caller in errors. Used by
    :func:`satisfaction_drivers` and :func:`crmkit.plots.plot_satisfaction_drivers`.
    """
    if isinstance(truth, dict) and "component_weights" in truth:
        truth = truth["component_weights"]
    if isinstance(truth, dict):
        truth = pd.Series(truth)
    if not isinstance(truth, pd.Series):
        raise TypeError(
            f"{func}: `truth` must be world.truth or a mapping component -> weight; "
            f"got {type(truth).__name__}."
        )
    missing = [c for c in components if c not in truth.index]
    if missing:
        raise ValueError(
            f"{func}: `truth` has no weight for {missing}; it holds {list(truth.index)}."
        )
    return truth.reindex(components).to_numpy(dtype=float)


# --------------------------------------------------------------------------- the explorer's what-if
def survey_filters(surveys, customers=None, *, min_answers=MIN_ANSWERS) -> dict:
    """The subsets of survey answers the explorer offers, as boolean masks.

    Parameters
    ----------
    surveys : pandas.DataFrame
        Survey answers (``method``, ``touchpoint``, ``customer_id``).
    customers : pandas.DataFrame, optional
        With ``relationship_type``, to offer one subset per type.
    min_answers : int, default=30
        Subsets with fewer answers are left out (too few to estimate four
        weights).

    Returns
    -------
    dict
        ``{key: (label, mask)}`` in display order; keys are ``"all"``,
        ``"method:<key>"``, ``"touchpoint:<key>"``, ``"relationship_type:<key>"``.

    Examples
    --------
    >>> import crmkit
    >>> w = crmkit.make_world(500, random_state=0)
    >>> f = survey_filters(w.surveys, w.customers)
    >>> f["all"][0], bool(f["all"][1].all())
    ('All answers', True)
    """
    func = "survey_filters"
    if not isinstance(surveys, pd.DataFrame):
        raise TypeError(f"{func}: `surveys` must be a DataFrame such as world.surveys.")
    out = {"all": ("All answers", np.ones(len(surveys), dtype=bool))}
    columns = [
        ("method", "Survey method", concepts.SURVEY_METHODS, surveys.get("method")),
        ("touchpoint", "Touchpoint rated", concepts.TOUCHPOINTS, surveys.get("touchpoint")),
    ]
    if customers is not None and "relationship_type" in customers.columns:
        rtype = surveys["customer_id"].map(
            customers.set_index("customer_id")["relationship_type"].astype("string")
        )
        columns.append(
            ("relationship_type", "Relationship type", concepts.RELATIONSHIP_TYPES, rtype)
        )
    for col, title, taxonomy, values in columns:
        if values is None:
            continue
        values = pd.Series(values).astype("string").to_numpy(dtype=object, na_value=None)
        for key, name in concepts.labels(taxonomy).items():
            mask = values == key
            if mask.sum() >= min_answers:
                out[f"{col}:{key}"] = (f"{title}: {name}", mask)
    return out


def driver_fit(surveys, *, components=COMPONENTS, target="overall") -> dict:
    """:func:`satisfaction_drivers` and the overall scores its weights predict.

    Parameters
    ----------
    surveys : DataFrame
        Survey answers; rows with a missing value in a used column are left out.
    components : sequence of str, default=the four component columns
    target : str, default="overall"

    Returns
    -------
    dict
        ``weights``, ``std_errors`` (arrays, one per component), ``intercept``,
        ``n``, ``r_squared``, ``predicted`` (intercept + weighted components,
        one per complete answer) and ``rmse`` (root mean squared error of the
        prediction, points on the 1-7 scale): the keys of `what_if_weights`
        and more.

    Examples
    --------
    >>> import crmkit
    >>> w = crmkit.make_world(500, random_state=0)
    >>> fit = driver_fit(w.surveys)
    >>> len(fit["predicted"]) == fit["n"], bool(fit["rmse"] < 1)
    (True, True)
    """
    drivers = satisfaction_drivers(surveys, components=components, target=target)
    components = list(components)
    data = surveys[[*components, target]].to_numpy(dtype=float, na_value=np.nan)
    data = data[~np.isnan(data).any(axis=1)]
    X, y = data[:, :-1], data[:, -1]
    beta = np.r_[drivers.attrs["intercept"], drivers["weight"].to_numpy()]
    predicted = np.column_stack([np.ones(len(X)), X]) @ beta
    return {
        "weights": drivers["weight"].to_numpy(),
        "std_errors": drivers["std_error"].to_numpy(),
        "intercept": drivers.attrs["intercept"],
        "r_squared": drivers.attrs["r_squared"],
        "n": drivers.attrs["n"],
        "predicted": predicted,
        "rmse": float(np.sqrt(np.mean((y - predicted) ** 2))),
    }


def what_if_weights(X, y, weights):
    """How well the given component weights predict the overall answer.

    The weights are normalised to sum 1, so the prediction ``X @ w`` stays on
    the 1-7 scale (no intercept: a weighted mean of the component answers).

    Parameters
    ----------
    X : array of shape (n, 4)
    y : array of shape (n,)
    weights : sequence of 4 numbers >= 0, not all 0

    Returns
    -------
    dict
        ``weights`` (normalised), ``predicted`` (n), ``rmse`` and ``r_squared``
        (1 - squared error / variance of ``y``; can be below 0 for bad weights).

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[4., 6], [5, 7], [6, 2]])
    >>> r = what_if_weights(X, X @ [0.75, 0.25], [3, 1])
    >>> r["weights"].tolist(), round(r["rmse"], 9)
    ([0.75, 0.25], 0.0)
    """
    w = np.asarray(weights, dtype=float)
    if w.shape != (np.asarray(X).shape[1],) or (w < 0).any() or not np.isfinite(w).all():
        raise ValueError(
            f"what_if_weights: `weights` must be {np.asarray(X).shape[1]} numbers >= 0; "
            f"got {list(weights)}."
        )
    if w.sum() == 0:
        raise ValueError("what_if_weights: at least one weight must be above 0.")
    w = w / w.sum()
    pred = np.asarray(X, dtype=float) @ w
    y = np.asarray(y, dtype=float)
    err = y - pred
    tss = float(((y - y.mean()) ** 2).sum())
    return {
        "weights": w,
        "predicted": pred,
        "rmse": float(np.sqrt(np.mean(err**2))),
        "r_squared": 1 - float(err @ err) / tss if tss > 0 else float("nan"),
    }


def spread_by_answer(predicted, actual, *, min_answers=5):
    """For each actual answer (1-7): quartiles of the predicted scores.

    Returns
    -------
    tuple of arrays
        Answer levels, 25th percentile, median, 75th percentile (levels with
        fewer than ``min_answers`` answers are left out).

    Examples
    --------
    >>> lv, lo, mid, hi = spread_by_answer([1.0, 2.0, 3.0, 6.0], [2, 2, 2, 6], min_answers=2)
    >>> lv.tolist(), mid.tolist()
    ([2], [2.0])
    """
    predicted = np.asarray(predicted, dtype=float)
    actual = np.asarray(actual, dtype=float)
    levels, lo, mid, hi = [], [], [], []
    for v in np.unique(actual):
        p = predicted[actual == v]
        if p.size >= min_answers:
            q = np.percentile(p, [25, 50, 75])
            levels.append(v)
            lo.append(q[0])
            mid.append(q[1])
            hi.append(q[2])
    return (np.array(levels, dtype=int), np.array(lo), np.array(mid), np.array(hi))


# --------------------------------------------------------------------------- touchpoints
def touchpoint_satisfaction(
    surveys,
    interactions,
    *,
    touchpoint_col="touchpoint",
    components=COMPONENTS,
    target="overall",
    kind_col="kind",
    outcome_col="outcome",
    resolution_col="resolution_hours",
    internal="complaint_share",
) -> pd.DataFrame:
    """Survey perception beside internal indicators, for every touchpoint.

    Source 003: a satisfaction survey measures how customers *perceive* a
    touchpoint, which can differ from what the company's own indicators say.
    This table puts the two side by side, front office and back office.

    Parameters
    ----------
    surveys : DataFrame
        Survey answers; post-interaction answers carry the touchpoint rated
        (relationship surveys and focus groups have none and are left out).
    interactions : DataFrame
        Contacts with ``touchpoint``, ``kind``, ``outcome`` and
        ``resolution_hours``.
    touchpoint_col : str, default="touchpoint"
        Touchpoint column in both tables.
    components : sequence of str, default=the four component columns
        Component columns averaged per touchpoint.
    target : str, default="overall"
        Overall-satisfaction column.
    kind_col, outcome_col, resolution_col : str
        Columns of ``interactions``: the kind of contact, how it ended, and
        hours to resolution (complaints, inquiries and technical requests).
    internal : {"complaint_share", "share_resolved", "median_resolution_hours"}, \
default="complaint_share"
        The internal indicator compared with perception in ``internal_z`` and
        ``gap``. Its z-score is signed so that higher is better inside (fewer
        complaints per contact, more requests resolved, faster resolution).

    Returns
    -------
    DataFrame
        One row per touchpoint, in :data:`crmkit.concepts.TOUCHPOINTS` order
        (then any other touchpoints found): ``touchpoint``, ``name``,
        ``office`` ("front"/"back"; empty for an unknown touchpoint),
        ``n_surveys``, ``overall`` and the component means (NaN where a
        touchpoint has no survey answer: marketing communication, in the
        synthetic worlds), ``contacts``, ``requests`` (contacts with a
        resolution time), ``median_resolution_hours``, ``share_resolved``
        (requests resolved), ``complaints``, ``complaint_share`` (complaints
        per contact), and ``perception_z``, ``internal_z``, ``gap``: the
        touchpoint's mean ``overall`` and its ``internal`` indicator as
        z-scores across the touchpoints that have both (higher = better; NaN
        for a touchpoint without survey answers), and their difference
        (negative: perceived worse than the internal indicator suggests, as
        billing in the synthetic worlds).

    Examples
    --------
    >>> import crmkit
    >>> w = crmkit.make_world(1000, random_state=0)
    >>> t = touchpoint_satisfaction(w.surveys, w.interactions)
    >>> t.set_index("touchpoint").loc["billing", "office"]
    'back'
    """
    func = "touchpoint_satisfaction"
    check_choice(internal, "internal", tuple(_INTERNAL_SIGN), func)
    if isinstance(components, str):
        raise TypeError(f"{func}: `components` must be a list of column names, got a string.")
    components = list(components)
    check_frame(
        surveys,
        func,
        "surveys",
        {
            touchpoint_col: "touchpoint_col",
            target: "target",
            **{c: "components" for c in components},
        },
    )
    check_frame(
        interactions,
        func,
        "interactions",
        {
            touchpoint_col: "touchpoint_col",
            kind_col: "kind_col",
            outcome_col: "outcome_col",
            resolution_col: "resolution_col",
        },
    )
    rated = surveys[surveys[touchpoint_col].notna()]
    if rated.empty:
        raise ValueError(
            f"{func}: no survey answer names a touchpoint (column {touchpoint_col!r} is "
            "empty); only post-interaction surveys can be linked to a touchpoint."
        )
    tp_s = rated[touchpoint_col].astype(str)
    perception = rated[[target, *components]].astype(float).groupby(tp_s.to_numpy()).mean()
    perception.insert(0, "n_surveys", tp_s.value_counts())
    tp_i = interactions[touchpoint_col].astype("string").to_numpy(dtype=object, na_value=None)
    keep = pd.notna(tp_i)
    kind = interactions[kind_col].astype("string").to_numpy(dtype=object, na_value="")[keep]
    outcome = interactions[outcome_col].astype("string").to_numpy(dtype=object, na_value="")[keep]
    hours = pd.to_numeric(interactions[resolution_col]).to_numpy(dtype=float, na_value=np.nan)[keep]
    inside = pd.DataFrame(
        {
            "tp": tp_i[keep],
            "request": ~np.isnan(hours),
            "hours": hours,
            "resolved": np.where(~np.isnan(hours), outcome == "resolved", np.nan),
            "complaint": kind == "complaint",
        }
    )
    g = inside.groupby("tp", sort=False)
    indicators = pd.DataFrame(
        {
            "contacts": g.size(),
            "requests": g["request"].sum(),
            "median_resolution_hours": g["hours"].median(),
            "share_resolved": g["resolved"].mean(),
            "complaints": g["complaint"].sum(),
        }
    )
    known = concepts.keys(concepts.TOUCHPOINTS)
    found = set(perception.index) | set(indicators.index)
    order = [t for t in known if t in found] + sorted(found - set(known))
    out = pd.DataFrame(index=pd.Index(order, name="touchpoint"))
    out = out.join(perception).join(indicators)
    out["n_surveys"] = out["n_surveys"].fillna(0).astype("int64")
    for col in ("contacts", "requests", "complaints"):
        out[col] = out[col].fillna(0).astype("int64")
    with np.errstate(invalid="ignore", divide="ignore"):
        out["complaint_share"] = np.where(
            out["contacts"] > 0, out["complaints"] / out["contacts"].clip(lower=1), np.nan
        )
    both = out[target].notna() & out[internal].notna()  # compare like with like
    out["perception_z"] = _z(out[target].where(both))
    out["internal_z"] = _INTERNAL_SIGN[internal] * _z(out[internal].where(both))
    out["gap"] = out["perception_z"] - out["internal_z"]
    names = concepts.labels(concepts.TOUCHPOINTS)
    out = out.reset_index()
    out.insert(1, "name", [names.get(t, t) for t in out["touchpoint"]])
    out.insert(2, "office", [_TOUCHPOINT_OFFICE.get(t, "") for t in out["touchpoint"]])
    if target != "overall":
        out = out.rename(columns={target: "overall"})
    cols = [
        "touchpoint",
        "name",
        "office",
        "n_surveys",
        "overall",
        *components,
        "contacts",
        "requests",
        "median_resolution_hours",
        "share_resolved",
        "complaints",
        "complaint_share",
        "perception_z",
        "internal_z",
        "gap",
    ]
    return out[cols]


def _z(s):
    s = s.astype(float)
    sd = s.std(ddof=0)
    if not np.isfinite(sd) or sd == 0:
        return pd.Series(np.where(s.notna(), 0.0, np.nan), index=s.index)
    return (s - s.mean()) / sd
