"""Chapter 8, explaining predictions with SHAP: its exercises."""

from helpers.exercises._core import Exercise

EXERCISES = {
    "08.1": Exercise(
        "number",
        "eyJ2YWx1ZSI6IDAuMCwgImxvdyI6IC0wLjAwMSwgImhpZ2giOiAwLjAwMX0=",
        "use Xt_train[Xt_train[:, sex_col] == 0][:100] as the background; what can revealing a "
        "feature change when every background passenger already has her value?",
        tempting=((0.37, "her Sex_male value with the chapter's background, of mostly men"),),
    ),
    "08.2": Exercise(
        "number",
        "eyJ2YWx1ZSI6IDMyOTguNjgsICJyZWwiOiAwLjAwMX0=",
        "fit LinearRegression on Xh_train and the training prices; the SHAP value is the "
        "basement's coefficient times (the house's basement - the background's mean basement)",
    ),
    "08.3": Exercise(
        "number",
        "eyJ2YWx1ZSI6IDAuMiwgImxvdyI6IDAuMTIsICJoaWdoIjogMC4zMn0=",
        "change only the Sex_male column of a copy of her row, then ask the forest's "
        "predict_proba for the probability of class 1 (survived)",
        tempting=(
            (0.55, "her prediction minus her SHAP value: the reading the chapter warns against"),
            (0.8, "the probability of class 0 (died), not of surviving"),
        ),
    ),
    "08.4": Exercise(
        "number",
        "eyJ2YWx1ZSI6IDQ2MTAwMC4wLCAibG93IjogMzAwMDAwLjAsICJoaWdoIjogNjUwMDAwLjB9",
        "explain_prediction(house_model, the row of house Id 524 in Xh, background_h, "
        "house_features, task='regression'), then add up its .values (or subtract its "
        ".base_value from its .prediction)",
    ),
}
