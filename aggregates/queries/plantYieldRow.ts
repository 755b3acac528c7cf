/** A plant's energy in one period of a yield report. */
export interface PlantYieldRow {
  /** YYYY-MM-DD, YYYY-MM or YYYY */
  period: string;
  plant_id: string;
  kwh: number;
}
