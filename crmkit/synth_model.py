"""The numbers of :func:`crmkit.make_world`'s latent model, in one place.

:mod:`crmkit.synth` describes the model in words; this module holds its
parameters: the vocabularies whose positions are the generator's integer codes,
the default satisfaction weights and lifecycle transitions, purchase rates and
channel preferences, prices and costs, the contacts' effects, the exit-fee
contracts and the shares of the behaviour flags. The generator's steps
(:mod:`crmkit.synth`, :mod:`crmkit.synth_contacts`) read them from here, and
``World.truth`` reports them, so that a lesson can check that an analysis
recovers them.

Examples
--------
>>> from crmkit.synth_model import DEFAULT_WEIGHTS, TYPES
>>> DEFAULT_WEIGHTS["product"]
0.4
>>> TYPES[0]
'transactional'
"""

from __future__ import annotations

import numpy as np

from crmkit import concepts

__all__ = [
    "ACQ_CHANNELS", "CATEGORIES_", "CHANNELS", "COMPONENTS", "KINDS", "STAGES", "TOUCHPOINTS",
    "TYPES", "DEFAULT_WEIGHTS", "DEFAULT_TRANSITIONS", "TYPE_SHARE", "TYPE_RATE", "STAGE_RATE",
    "TYPE_CHANNEL", "STAGE_CATEGORY", "CATEGORY_PRICE", "CATEGORY_COST",
    "CHANNEL_CONTACT_COST", "CHANNEL_CONVERSION", "CONTACT_MINUTES", "TOUCHPOINT_EFFECT",
    "KIND_TOUCHPOINT", "RESOLUTION_BASE", "TRAINING_EFFECT", "HANDOFF_EFFECT",
    "PAYMENT_TERMS_DAYS", "CONTRACT_SHARE", "EXIT_FEE", "CONTRACT_TERM_MONTHS",
    "EXIT_FEE_EFFECTS", "FLAG_SHARES",
]  # fmt: skip

# ----------------------------------------------------------------------------- vocabularies
#: The category keys of :mod:`crmkit.concepts`, in the order of the generator's codes.
STAGES = concepts.keys(concepts.LIFECYCLE_STAGES)
TYPES = concepts.keys(concepts.RELATIONSHIP_TYPES)
COMPONENTS = concepts.keys(concepts.SATISFACTION_COMPONENTS)
CHANNELS = concepts.keys(concepts.CHANNELS)
TOUCHPOINTS = concepts.keys(concepts.TOUCHPOINTS)
KINDS = concepts.keys(concepts.INTERACTION_KINDS)
CATEGORIES_ = concepts.keys(concepts.PRODUCT_CATEGORIES)
ACQ_CHANNELS = tuple(concepts.CATEGORIES["acquisition_channel"])

# ----------------------------------------------------------------------------- defaults
DEFAULT_WEIGHTS = dict(zip(COMPONENTS, (0.40, 0.25, 0.20, 0.15), strict=True))

#: Monthly stage transitions at average satisfaction (rows sum to 1).
DEFAULT_TRANSITIONS = np.array(
    [
        # exploration awareness expansion commitment dissolution
        [0.55, 0.30, 0.05, 0.00, 0.10],  # exploration: testing the supplier; may end there
        [0.00, 0.72, 0.21, 0.00, 0.07],  # awareness
        [0.00, 0.00, 0.80, 0.16, 0.04],  # expansion
        [0.00, 0.00, 0.00, 0.975, 0.025],  # commitment
        [0.00, 0.05, 0.00, 0.00, 0.95],  # dissolution: some are won back
    ]
)

# ----------------------------------------------------------------------------- customers
#: Share of each relationship type among the customers (in the order of ``TYPES``).
TYPE_SHARE = (0.22, 0.20, 0.12, 0.04, 0.20, 0.14, 0.08)
#: Purchases per active month, by relationship type (before stage and satisfaction).
TYPE_RATE = (0.55, 1.50, 1.35, 2.20, 1.10, 1.80, 1.25)
#: Purchase-rate factor by lifecycle stage (none while dissolved).
STAGE_RATE = (0.55, 0.85, 1.25, 1.45, 0.0)
#: Channel preference by relationship type: shop, web, app, email, phone, social.
TYPE_CHANNEL = np.array(
    [
        [0.60, 0.15, 0.10, 0.02, 0.08, 0.05],  # transactional
        [0.30, 0.25, 0.15, 0.10, 0.15, 0.05],  # long_term
        [0.35, 0.10, 0.05, 0.10, 0.35, 0.05],  # personal_assistance
        [0.25, 0.05, 0.05, 0.20, 0.45, 0.00],  # dedicated_assistance
        [0.05, 0.50, 0.35, 0.05, 0.00, 0.05],  # self_service
        [0.00, 0.45, 0.50, 0.05, 0.00, 0.00],  # automated_services
        [0.10, 0.25, 0.20, 0.05, 0.05, 0.35],  # community
    ]
)
#: Product mix by stage: starter, core, premium, add_on, service_plan, bundle.
STAGE_CATEGORY = np.array(
    [
        [0.45, 0.35, 0.05, 0.10, 0.03, 0.02],
        [0.20, 0.45, 0.10, 0.15, 0.05, 0.05],
        [0.05, 0.35, 0.15, 0.25, 0.10, 0.10],
        [0.03, 0.30, 0.22, 0.15, 0.15, 0.15],
        [0.20, 0.45, 0.10, 0.15, 0.05, 0.05],
    ]
)
#: List price of each product category, and its cost as a share of the price.
CATEGORY_PRICE = np.array([25.0, 60.0, 180.0, 20.0, 90.0, 220.0])
CATEGORY_COST = np.array([0.60, 0.55, 0.50, 0.40, 0.35, 0.62])

# ----------------------------------------------------------------------------- contacts
#: Cost of one contact by channel, and its true acquisition conversion rate.
CHANNEL_CONTACT_COST = np.array([12.0, 0.5, 0.4, 1.5, 6.0, 2.0])
CHANNEL_CONVERSION = np.array([0.080, 0.020, 0.025, 0.030, 0.050, 0.012])
#: Median minutes of a contact, by channel.
CONTACT_MINUTES = np.array([12.0, 3.0, 3.0, 4.0, 7.0, 3.0])
#: Touchpoint effects on the four survey answers (perception, not internal indicators):
#: billing is fast inside but disliked; delivery is slow inside but liked.
TOUCHPOINT_EFFECT = {
    "sales": (0.0, 0.2, 0.1, -0.1),
    "customer_service": (0.0, 0.3, 0.1, 0.1),
    "technical_help": (0.2, 0.1, 0.0, 0.0),
    "marketing_communication": (0.0, 0.0, 0.1, 0.0),
    "shop_floor": (0.1, 0.2, 0.3, 0.0),
    "after_sales": (0.1, -0.2, -0.1, 0.0),
    "billing": (0.0, -0.5, -0.7, -0.2),
    "delivery": (0.1, 0.2, 0.1, 0.0),
}
#: Where complaints and praise land: probabilities over ``TOUCHPOINTS``.
KIND_TOUCHPOINT = {
    "complaint": (0.10, 0.30, 0.10, 0.00, 0.05, 0.15, 0.15, 0.15),
    "positive_feedback": (0.20, 0.25, 0.10, 0.05, 0.20, 0.05, 0.05, 0.10),
}
#: Base resolution hours by kind; the effects of a training hour and of one hand-off.
RESOLUTION_BASE = {"complaint": 30.0, "inquiry": 6.0, "technical_request": 20.0}
TRAINING_EFFECT = -0.03  # log-hours per training hour (about -26% per 10 h)
HANDOFF_EFFECT = 0.35  # log-hours per hand-off
#: Days a customer has to pay; a payment reminder follows the day after.
PAYMENT_TERMS_DAYS = 30

# ----------------------------------------------------------------------------- exit fees
#: Contracts with an early-exit fee (a negative retention strategy; source 002), by
#: relationship type: transactional, long_term, personal_assistance,
#: dedicated_assistance, self_service, automated_services, community.
CONTRACT_SHARE = (0.02, 0.35, 0.15, 0.30, 0.10, 0.40, 0.05)
EXIT_FEE = (40.0, 120.0, 150.0, 400.0, 60.0, 90.0, 50.0)  # currency units
#: Minimum term: the rest of the sign-up month and this many full calendar months.
CONTRACT_TERM_MONTHS = 12
#: Effects of signing a contract with an exit fee (``truth["exit_fee"]``).
EXIT_FEE_EFFECTS = {
    "hazard_factor_bound": 0.35,  # dissolution hazard while the contract binds: trapped
    "hazard_factor_after_end": 2.5,  # ... in the first months after it ends: a burst
    "after_end_months": 2,
    # survey answers (1-7) of customers under such a contract: resentment
    "answer_shift": {"product": 0.0, "peripheral": 0.0, "atmosphere": -0.6,
                     "psychological": -0.6},  # fmt: skip
    "nps_shift": -0.6,  # NPS points (0-10) beyond what overall satisfaction carries
    "complaint_factor": 1.8,  # complaints per purchase (the satisfaction-driven part)
    "referral_factor": 0.5,  # referrals per purchase: reputation
}

# ----------------------------------------------------------------------------- behaviour
#: Share of customers with each behaviour flag (``truth["latent"]``).
FLAG_SHARES = {
    "serial_complainer": 0.03,
    "late_payer": 0.06,
    "deal_seeker": 0.08,
    "destructive": 0.015,
    "fraud": 0.005,
}
