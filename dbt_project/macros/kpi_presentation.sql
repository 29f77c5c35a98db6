{#- value, RAG and direction of travel, as the catalogue's shared conventions define them. -#}

{#- The published value from numerator and denominator; a zero denominator gives NULL. -#}
{% macro kpi_value(unit, kind, numerator, denominator, months_in_period) -%}
    case
        when {{ unit }} = 'count' then {{ numerator }}
        when {{ denominator }} is null or {{ denominator }} = 0 then null
        when {{ unit }} = 'percentage' then 100.0 * {{ numerator }} / {{ denominator }}
        -- flow rates are annualised: count x 12 / months in period
        when {{ unit }} = 'rate_10k' and {{ kind }} in ('flow', 'counted_from')
            then 10000.0 * {{ numerator }} / {{ denominator }} * 12 / {{ months_in_period }}
        when {{ unit }} = 'rate_10k' then 10000.0 * {{ numerator }} / {{ denominator }}
        else 1.0 * {{ numerator }} / {{ denominator }}
    end
{%- endmacro %}

{#- Green / Amber / Red against a target (up, down) or a target range; NULL without target. -#}
{% macro kpi_rag(value, polarity, target, range_low, range_high, tolerance) -%}
    case
        when {{ value }} is null then null
        when {{ range_low }} is not null and {{ range_high }} is not null then
            case when {{ value }} between {{ range_low }} and {{ range_high }} then 'Green'
                 when {{ value }} between {{ range_low }} - {{ tolerance }} and {{ range_high }} + {{ tolerance }} then 'Amber'
                 else 'Red' end
        when {{ target }} is null then null
        when {{ polarity }} = 'up' then
            case when {{ value }} >= {{ target }} then 'Green'
                 when {{ value }} >= {{ target }} - {{ tolerance }} then 'Amber'
                 else 'Red' end
        when {{ polarity }} = 'down' then
            case when {{ value }} <= {{ target }} then 'Green'
                 when {{ value }} <= {{ target }} + {{ tolerance }} then 'Amber'
                 else 'Red' end
    end
{%- endmacro %}

{#- Compared with the previous period of the same type: within 1 percentage point (percentages)
    or 1% (everything else) is unchanged; otherwise better or worse by the measure's polarity.
    For a range, moving closer to the range is improving. -#}
{% macro kpi_direction(value, previous, unit, polarity, range_low, range_high) -%}
    case
        when {{ value }} is null or {{ previous }} is null or {{ polarity }} = 'none' then null
        when ({{ unit }} = 'percentage' and abs({{ value }} - {{ previous }}) <= {{ var('direction_unchanged_points') }})
          or ({{ unit }} <> 'percentage' and abs({{ value }} - {{ previous }})
                <= abs({{ previous }}) * {{ var('direction_unchanged_percent') }} / 100.0)
            then 'unchanged'
        when {{ polarity }} = 'up' then case when {{ value }} > {{ previous }} then 'improving' else 'worsening' end
        when {{ polarity }} = 'down' then case when {{ value }} < {{ previous }} then 'improving' else 'worsening' end
        when {{ polarity }} = 'range' then
            case when {{ distance_to_range(value, range_low, range_high) }}
                      < {{ distance_to_range(previous, range_low, range_high) }} then 'improving'
                 when {{ distance_to_range(value, range_low, range_high) }}
                      > {{ distance_to_range(previous, range_low, range_high) }} then 'worsening'
                 else 'unchanged' end
    end
{%- endmacro %}

{% macro distance_to_range(value, range_low, range_high) -%}
    greatest({{ range_low }} - {{ value }}, {{ value }} - {{ range_high }}, 0)
{%- endmacro %}
